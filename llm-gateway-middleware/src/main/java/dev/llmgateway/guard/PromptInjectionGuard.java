package dev.llmgateway.guard;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.guard.GuardDecision.Stage;
import dev.llmgateway.guard.GuardDecision.Verdict;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.guard.internal.DecisionReporter;
import dev.llmgateway.guard.internal.InputSegments;
import dev.llmgateway.guard.internal.InputSegments.Segment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Refuses requests that look like prompt-injection attacks, before they cost anything. It scores the
 * user text and the tool results of the request with weighted heuristics ({@link InjectionScanner} over
 * {@link InjectionRules#DEFAULTS}: instruction override, role impersonation, system-prompt extraction,
 * encoded payloads, obfuscation, text addressed to the model inside data), optionally adds the opinion of
 * a classifier model ({@link ClassifierCall}), and refuses with a {@link GuardBlockedException} when a
 * score reaches its threshold: {@link #DEFAULT_THRESHOLD} for user text, the stricter
 * {@link #DEFAULT_TOOL_RESULT_THRESHOLD} for tool results, which no user wrote and which are the way
 * indirect injections arrive.
 *
 * <pre>{@code
 * PromptInjectionGuard guard = PromptInjectionGuard.builder()
 *     .threshold(1.0)
 *     .addRule(InjectionRule.of("custom.acme", InjectionCategory.CUSTOM, 1.0, "\\bacme override\\b"))
 *     .build();
 * LlmGateway gateway = LlmGateway.builder().addInterceptor(guard)...build();
 * }</pre>
 *
 * <p><b>What it reports.</b> One {@link GuardDecision} per stage it looked at ({@link Stage#INPUT} for
 * user text, {@link Stage#TOOL_RESULT} for tool results), recorded in the call's
 * {@link GuardDecisionLog} and handed to the {@link GuardListener}: {@code ALLOW} when nothing matched,
 * {@code FLAG} when rules matched below the threshold (or at it, when {@link Builder#enforce} is off),
 * {@code BLOCK} when it refused. The decision's score and rules are those of the highest-scoring message
 * of the stage. The refusal's message names the score, threshold, rules and message index, never the text.
 *
 * <p><b>Streams</b> are checked the same way before the stream is opened; the guard does not touch the
 * answer. Its place is first in the pipeline (with moderation), so a refused call spends nothing.
 *
 * <p>Heuristics catch the known shapes, not paraphrases or translations beyond the few covered; see
 * {@code docs/safety.md} for the rules, the measured precision and recall on the test corpus, and the
 * limits. Thread-safe.
 */
public final class PromptInjectionGuard implements Interceptor {
  /** The guard's name in decisions and the audit log. */
  public static final String NAME = "prompt-injection";
  /** The score at which user text is refused by default: {@value}. */
  public static final double DEFAULT_THRESHOLD = 1.0;
  /** The score at which a tool result is refused by default: {@value}. */
  public static final double DEFAULT_TOOL_RESULT_THRESHOLD = 0.5;
  /** Which messages are looked at by default: {@link InputScope#LATEST_TURN}. */
  public static final InputScope DEFAULT_SCOPE = InputScope.LATEST_TURN;
  /** Whether the guard refuses by default ({@code false} only reports): {@value}. */
  public static final boolean DEFAULT_ENFORCE = true;

  private final InjectionScanner scanner;
  private final double threshold;
  private final double toolResultThreshold;
  private final InputScope scope;
  private final boolean enforce;
  private final @Nullable ClassifierCall classifier;
  private final DecisionReporter reporter;

  private PromptInjectionGuard(Builder b) {
    this.scanner = new InjectionScanner(b.rules, b.encodedPayloadWeight, b.quotedDiscount);
    this.threshold = b.threshold;
    this.toolResultThreshold = b.toolResultThreshold;
    this.scope = b.scope;
    this.enforce = b.enforce;
    this.classifier = b.classifier;
    this.reporter = new DecisionReporter(b.listener);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A guard with every default. */
  public static PromptInjectionGuard withDefaults() {
    return builder().build();
  }

  public InjectionScanner scanner() {
    return scanner;
  }

  public double threshold() {
    return threshold;
  }

  public double toolResultThreshold() {
    return toolResultThreshold;
  }

  public InputScope scope() {
    return scope;
  }

  public boolean enforce() {
    return enforce;
  }

  public @Nullable ClassifierCall classifier() {
    return classifier;
  }

  @Override
  public ChatResponse intercept(ChatRequest request, Chain chain) {
    if (classifier == null || !classifier.isOwnCall(chain.context())) {
      check(request, chain.context(), chain::proceed);
    }
    return chain.proceed(request);
  }

  @Override
  public ChatStream interceptStream(ChatRequest request, StreamChain chain) {
    if (classifier == null || !classifier.isOwnCall(chain.context())) {
      check(request, chain.context(), r -> chain.proceed(r).collect());
    }
    return chain.proceed(request);
  }

  /**
   * The heuristic decisions for {@code request}, one per stage that has text, without a classifier call
   * and without recording or refusing anything: what the guard would decide.
   */
  public List<GuardDecision> evaluate(ChatRequest request) {
    return decide(request, null, null);
  }

  private void check(ChatRequest request, CallContext context,
      Function<ChatRequest, ChatResponse> throughChain) {
    List<GuardDecision> decisions = decide(request, context, throughChain);
    GuardDecision refusal = null;
    for (GuardDecision d : decisions) {
      reporter.report(context, d);
      if (d.blocked() && refusal == null) {
        refusal = d;
      }
    }
    if (refusal != null) {
      throw new GuardBlockedException(String.format(Locale.ROOT,
          "%s guard refused the request: score %.2f reached the threshold %.2f in %s %s; rules %s",
          NAME, refusal.score(), refusal.threshold(),
          refusal.stage() == Stage.TOOL_RESULT ? "a tool result at" : "user text at",
          refusal.location(), refusal.matchedRules()), refusal,
          ErrorContext.of(null, request.model()), null);
    }
  }

  private List<GuardDecision> decide(ChatRequest request, @Nullable CallContext context,
      @Nullable Function<ChatRequest, ChatResponse> throughChain) {
    List<Segment> segments = InputSegments.of(request, scope);
    List<GuardDecision> decisions = new ArrayList<>(2);
    for (Stage stage : new Stage[] {Stage.INPUT, Stage.TOOL_RESULT}) {
      double limit = stage == Stage.TOOL_RESULT ? toolResultThreshold : threshold;
      InjectionScan worst = null;
      Segment where = null;
      StringBuilder all = new StringBuilder();
      for (Segment s : segments) {
        if (s.stage() != stage) {
          continue;
        }
        InjectionScan scan = scanner.scan(s.text());
        if (worst == null || scan.score() > worst.score()) {
          worst = scan;
          where = s;
        }
        all.append(all.length() == 0 ? "" : "\n\n").append(s.text());
      }
      if (worst == null) {
        continue;
      }
      double score = worst.score();
      List<String> rules = new ArrayList<>(worst.ruleIds());
      List<String> categories = new ArrayList<>(worst.categories());
      if (classifier != null && context != null && throughChain != null && score < limit
          && score >= classifier.minHeuristicScore()) {
        Double probability;
        try {
          probability = classifier.classify(all.toString(), request.metadata(), context, throughChain);
        } catch (LlmException e) {
          if (!classifier.failOpen()) {
            throw e;
          }
          probability = null;
          rules.add(ClassifierCall.FAILED_RULE_ID);
        }
        if (probability == null) {
          if (!rules.contains(ClassifierCall.FAILED_RULE_ID)) {
            rules.add(ClassifierCall.UNREADABLE_RULE_ID);
          }
        } else if (probability * classifier.weight() > 0) {
          score += probability * classifier.weight();
          rules.add(ClassifierCall.RULE_ID);
          if (categories.isEmpty()) {
            categories.add(ClassifierCall.RULE_ID);
          }
        }
      }
      Verdict verdict = score >= limit
          ? (enforce ? Verdict.BLOCK : Verdict.FLAG)
          : (rules.isEmpty() ? Verdict.ALLOW : Verdict.FLAG);
      decisions.add(new GuardDecision(NAME, stage, verdict, score, limit, rules, categories,
          where.location(), Instant.now()));
    }
    return decisions;
  }

  @Override
  public String toString() {
    return "PromptInjectionGuard[threshold=" + threshold + ", toolResultThreshold="
        + toolResultThreshold + ", rules=" + scanner.rules().size() + ", scope=" + scope
        + (classifier != null ? ", " + classifier : "") + (enforce ? "" : ", report only") + "]";
  }

  /** Builds a {@link PromptInjectionGuard}. Not thread-safe. */
  public static final class Builder {
    private final List<InjectionRule> rules = new ArrayList<>(InjectionRules.DEFAULTS);
    private double threshold = DEFAULT_THRESHOLD;
    private double toolResultThreshold = DEFAULT_TOOL_RESULT_THRESHOLD;
    private double encodedPayloadWeight = InjectionScanner.DEFAULT_ENCODED_PAYLOAD_WEIGHT;
    private double quotedDiscount = InjectionScanner.DEFAULT_QUOTED_DISCOUNT;
    private InputScope scope = DEFAULT_SCOPE;
    private boolean enforce = DEFAULT_ENFORCE;
    private @Nullable ClassifierCall classifier;
    private GuardListener listener = GuardListener.NONE;

    private Builder() {}

    /** Replaces the rules. Defaults to {@link InjectionRules#DEFAULTS}. */
    public Builder rules(List<InjectionRule> rules) {
      List<InjectionRule> copy = Check.copyOf(rules, "rules");
      this.rules.clear();
      this.rules.addAll(copy);
      return this;
    }

    /** Adds a rule to the current ones. */
    public Builder addRule(InjectionRule rule) {
      rules.add(Check.nonNull(rule, "rule"));
      return this;
    }

    /**
     * The score at which user text is refused, above 0. Defaults to
     * {@value PromptInjectionGuard#DEFAULT_THRESHOLD}.
     */
    public Builder threshold(double threshold) {
      Check.that(Double.isFinite(threshold) && threshold > 0, "threshold must be > 0, was " + threshold);
      this.threshold = threshold;
      return this;
    }

    /**
     * The score at which a tool result is refused, above 0. Defaults to
     * {@value PromptInjectionGuard#DEFAULT_TOOL_RESULT_THRESHOLD}.
     */
    public Builder toolResultThreshold(double toolResultThreshold) {
      Check.that(Double.isFinite(toolResultThreshold) && toolResultThreshold > 0,
          "toolResultThreshold must be > 0, was " + toolResultThreshold);
      this.toolResultThreshold = toolResultThreshold;
      return this;
    }

    /**
     * What an attack found inside a base64 or hex blob adds on top of its rules. Defaults to
     * {@value InjectionScanner#DEFAULT_ENCODED_PAYLOAD_WEIGHT}.
     */
    public Builder encodedPayloadWeight(double weight) {
      this.encodedPayloadWeight = Check.within(weight, 0, 10, "encodedPayloadWeight");
      return this;
    }

    /**
     * The factor for a match quoted in a text about attacks; 1 turns the discount off. Defaults to
     * {@value InjectionScanner#DEFAULT_QUOTED_DISCOUNT}.
     */
    public Builder quotedDiscount(double factor) {
      this.quotedDiscount = Check.within(factor, 0, 1, "quotedDiscount");
      return this;
    }

    /** Which messages are looked at. Defaults to {@link InputScope#LATEST_TURN}. */
    public Builder scope(InputScope scope) {
      this.scope = Check.nonNull(scope, "scope");
      return this;
    }

    /**
     * Whether to refuse; {@code false} reports a would-be refusal as {@code FLAG} and lets the call on
     * (for measuring false positives before turning the guard on). Defaults to
     * {@value PromptInjectionGuard#DEFAULT_ENFORCE}.
     */
    public Builder enforce(boolean enforce) {
      this.enforce = enforce;
      return this;
    }

    /** Adds a classifier model's opinion to the score. Defaults to none. */
    public Builder classifier(@Nullable ClassifierCall classifier) {
      this.classifier = classifier;
      return this;
    }

    /** Hears each decision as it is made. Defaults to {@link GuardListener#NONE}. */
    public Builder listener(GuardListener listener) {
      this.listener = Check.nonNull(listener, "listener");
      return this;
    }

    public PromptInjectionGuard build() {
      return new PromptInjectionGuard(this);
    }
  }
}
