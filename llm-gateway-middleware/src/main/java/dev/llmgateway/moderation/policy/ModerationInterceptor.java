package dev.llmgateway.moderation.policy;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.guard.GuardBlockedException;
import dev.llmgateway.guard.GuardDecision;
import dev.llmgateway.guard.GuardDecision.Stage;
import dev.llmgateway.guard.GuardDecision.Verdict;
import dev.llmgateway.guard.GuardListener;
import dev.llmgateway.guard.InputScope;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.guard.internal.DecisionReporter;
import dev.llmgateway.guard.internal.InputSegments;
import dev.llmgateway.moderation.ModerationResult;
import dev.llmgateway.moderation.Moderator;
import dev.llmgateway.moderation.policy.internal.WindowedModerationStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Moderates what goes into a model and what comes out, with any {@link Moderator}: a
 * {@link LocalPolicyModerator}, OpenAI's moderation endpoint ({@code OpenAiModerator} in
 * {@code llm-gateway-providers}), the host's own classifier, or several with {@link Moderator#allOf}.
 *
 * <pre>{@code
 * ModerationInterceptor moderation = ModerationInterceptor.builder()
 *     .inputModerator(Moderator.allOf(List.of(policy, openAiModerator)))
 *     .outputModerator(policy)
 *     .build();
 * }</pre>
 *
 * <p><b>Input.</b> Before the call, the text of the user messages and tool results in scope
 * ({@link InputScope}, the latest turn by default; system and assistant messages are never moderated) is
 * joined and moderated once. {@code BLOCK} refuses the call with a {@link GuardBlockedException} naming
 * the category and the rule, never the text; {@code FLAG} is recorded and the call goes on.
 *
 * <p><b>Blocking output.</b> The answer's text is moderated whole before it is returned; {@code BLOCK}
 * withholds it and throws {@link OutputBlockedException} (a
 * {@link dev.llmgateway.error.ContentFilteredException}). Tool-call arguments, thinking and images are not
 * moderated.
 *
 * <p><b>Streams</b> are moderated as they flow, in windows: once at least {@link Builder#windowChars}
 * characters of new text have arrived, the new text is moderated together with the last
 * {@link Builder#overlapChars} characters of the window before it (so a phrase split across chunks, or
 * across two windows if no longer than the overlap, is still seen whole), before the chunk that filled the
 * window is passed on; the rest is moderated when the stream ends, before its end is passed on. A
 * {@code BLOCK} ends the stream: the upstream call is cancelled and {@code next()} throws
 * {@link OutputBlockedException} naming the category, rule and characters checked. <b>Chunks already
 * delivered stay delivered</b>: without hold-back, up to {@code windowChars - 1} characters of the
 * offending passage may have reached the caller; with {@link Builder#holdBack}, text is released a window
 * at a time, only after its window passed.
 *
 * <p><b>Reports.</b> Every moderation is a {@link GuardDecision} ({@value #NAME}) in the call's
 * {@link dev.llmgateway.guard.GuardDecisionLog} and to the {@link GuardListener}: one for the input, one
 * for the output (for a stream, one when it ends or is stopped, with the flagged categories and rules of
 * every window; a stream the caller closes before its end gets no output decision). The decision's
 * score is the highest category score the moderator gave.
 *
 * <p><b>Failures.</b> A moderator that throws fails the call (fail closed) unless
 * {@link Builder#failOpen} is set, which lets the call on and records a {@code FLAG} with rule
 * {@value #FAILED_RULE}. Its place is first in the pipeline, with the other guards. Thread-safe.
 */
public final class ModerationInterceptor implements Interceptor {
  /** The guard's name in decisions and the audit log. */
  public static final String NAME = "moderation";
  /** The rule recorded when a moderator failed and {@link #failOpen()} let the call on. */
  public static final String FAILED_RULE = "moderation.failed";
  /** New characters of a streamed answer per moderated window by default: {@value}. */
  public static final int DEFAULT_WINDOW_CHARS = 200;
  /** Characters of the previous window moderated again with the next by default: {@value}. */
  public static final int DEFAULT_OVERLAP_CHARS = 50;
  /** Whether streamed text is held until its window passed by default: {@value}. */
  public static final boolean DEFAULT_HOLD_BACK = false;
  /** Whether a failing moderator lets the call on by default: {@value}. */
  public static final boolean DEFAULT_FAIL_OPEN = false;
  /** Which messages are moderated by default: {@link InputScope#LATEST_TURN}. */
  public static final InputScope DEFAULT_SCOPE = InputScope.LATEST_TURN;

  private final @Nullable Moderator inputModerator;
  private final @Nullable Moderator outputModerator;
  private final InputScope scope;
  private final int windowChars;
  private final int overlapChars;
  private final boolean holdBack;
  private final boolean failOpen;
  private final DecisionReporter reporter;

  private ModerationInterceptor(Builder b) {
    this.inputModerator = b.inputModerator;
    this.outputModerator = b.outputModerator;
    this.scope = b.scope;
    this.windowChars = b.windowChars;
    this.overlapChars = b.overlapChars;
    this.holdBack = b.holdBack;
    this.failOpen = b.failOpen;
    this.reporter = new DecisionReporter(b.listener);
  }

  public static Builder builder() {
    return new Builder();
  }

  public @Nullable Moderator inputModerator() {
    return inputModerator;
  }

  public @Nullable Moderator outputModerator() {
    return outputModerator;
  }

  public InputScope scope() {
    return scope;
  }

  public int windowChars() {
    return windowChars;
  }

  public int overlapChars() {
    return overlapChars;
  }

  public boolean holdBack() {
    return holdBack;
  }

  public boolean failOpen() {
    return failOpen;
  }

  @Override
  public ChatResponse intercept(ChatRequest request, Chain chain) {
    checkInput(request, chain.context());
    ChatResponse response = chain.proceed(request);
    if (outputModerator == null || response.text().isEmpty()) {
      return response;
    }
    ModerationResult result = moderate(outputModerator, response.text(), chain.context());
    GuardDecision decision = decision(Stage.OUTPUT, result, null);
    reporter.report(chain.context(), decision);
    if (result.blocks()) {
      throw new OutputBlockedException(NAME + " withheld the answer: " + describe(result), decision,
          errorContext(request, response), null);
    }
    return response;
  }

  @Override
  public ChatStream interceptStream(ChatRequest request, StreamChain chain) {
    CallContext context = chain.context();
    checkInput(request, context);
    ChatStream upstream = chain.proceed(request);
    if (outputModerator == null) {
      return upstream;
    }
    StreamReport report = new StreamReport();
    return new WindowedModerationStream(upstream, (text, ctx) -> moderate(outputModerator, text, ctx),
        context, windowChars, overlapChars, holdBack,
        window -> {
          ModerationResult result = window.result();
          report.add(result);
          if (!result.blocks()) {
            return null;
          }
          String where = "output[" + window.from() + ".." + window.to() + "]";
          GuardDecision decision = decision(Stage.OUTPUT, result, where);
          report.reported = true;
          reporter.report(context, decision);
          return new OutputBlockedException(NAME + " stopped the streamed answer at characters "
              + window.from() + ".." + window.to() + ": " + describe(result)
              + "; the chunks before them were already delivered", decision,
              ErrorContext.of(null, request.model()), null);
        },
        () -> {
          if (!report.reported) {
            report.reported = true;
            reporter.report(context, report.summary());
          }
        });
  }

  private void checkInput(ChatRequest request, CallContext context) {
    if (inputModerator == null) {
      return;
    }
    StringBuilder text = new StringBuilder();
    for (InputSegments.Segment s : InputSegments.of(request, scope)) {
      text.append(text.length() == 0 ? "" : "\n\n").append(s.text());
    }
    if (text.length() == 0) {
      return;
    }
    ModerationResult result = moderate(inputModerator, text.toString(), context);
    GuardDecision decision = decision(Stage.INPUT, result, null);
    reporter.report(context, decision);
    if (result.blocks()) {
      throw new GuardBlockedException(NAME + " refused the request: " + describe(result), decision,
          ErrorContext.of(null, request.model()), null);
    }
  }

  private ModerationResult moderate(Moderator moderator, String text, CallContext context) {
    try {
      return Check.nonNull(moderator.moderate(text, context),
          "result of moderator " + moderator.getClass().getName());
    } catch (LlmException e) {
      if (!failOpen) {
        throw e;
      }
      return new ModerationResult(ModerationResult.Verdict.FLAG, List.of(), Map.of(), FAILED_RULE);
    }
  }

  private static GuardDecision decision(Stage stage, ModerationResult result, @Nullable String where) {
    Verdict verdict = switch (result.verdict()) {
      case ALLOW -> Verdict.ALLOW;
      case FLAG -> Verdict.FLAG;
      case BLOCK -> Verdict.BLOCK;
    };
    return new GuardDecision(NAME, stage, verdict, maxScore(result), null,
        result.matchedRule() == null ? List.of() : List.of(result.matchedRule()),
        result.categories(), where, Instant.now());
  }

  private static double maxScore(ModerationResult result) {
    double max = 0;
    for (double s : result.scores().values()) {
      max = Math.max(max, s);
    }
    return max;
  }

  private static String describe(ModerationResult result) {
    String category = result.categories().isEmpty() ? "(none)" : String.join(", ", result.categories());
    return "category " + category + " (rule " + result.matchedRule() + ")";
  }

  private static ErrorContext errorContext(ChatRequest request, ChatResponse response) {
    return ErrorContext.of(response.provider().isEmpty() ? null : response.provider(),
            response.model().isEmpty() ? request.model() : response.model())
        .withRequestId(response.requestId());
  }

  @Override
  public String toString() {
    return "ModerationInterceptor[input=" + inputModerator + ", output=" + outputModerator
        + ", window=" + windowChars + "/" + overlapChars + (holdBack ? ", hold back" : "")
        + (failOpen ? ", fail open" : "") + "]";
  }

  /** What the windows of one stream flagged, summed up into one decision at its end. */
  private static final class StreamReport {
    private final Set<String> rules = new LinkedHashSet<>();
    private final Set<String> categories = new LinkedHashSet<>();
    private double maxScore;
    private boolean flagged;
    private boolean reported;

    synchronized void add(ModerationResult result) {
      maxScore = Math.max(maxScore, ModerationInterceptor.maxScore(result));
      if (result.flagged()) {
        flagged = true;
        categories.addAll(result.categories());
        if (result.matchedRule() != null) {
          rules.add(result.matchedRule());
        }
      }
    }

    synchronized GuardDecision summary() {
      return new GuardDecision(NAME, Stage.OUTPUT, flagged ? Verdict.FLAG : Verdict.ALLOW, maxScore,
          null, new ArrayList<>(rules), new ArrayList<>(categories), null, Instant.now());
    }
  }

  /** Builds a {@link ModerationInterceptor}. Not thread-safe. */
  public static final class Builder {
    private @Nullable Moderator inputModerator;
    private @Nullable Moderator outputModerator;
    private InputScope scope = DEFAULT_SCOPE;
    private int windowChars = DEFAULT_WINDOW_CHARS;
    private int overlapChars = DEFAULT_OVERLAP_CHARS;
    private boolean holdBack = DEFAULT_HOLD_BACK;
    private boolean failOpen = DEFAULT_FAIL_OPEN;
    private GuardListener listener = GuardListener.NONE;

    private Builder() {}

    /** Moderates input and output with {@code moderator}. */
    public Builder moderator(Moderator moderator) {
      Check.nonNull(moderator, "moderator");
      this.inputModerator = moderator;
      this.outputModerator = moderator;
      return this;
    }

    /** Moderates the request with {@code moderator}; null for none. Defaults to none. */
    public Builder inputModerator(@Nullable Moderator moderator) {
      this.inputModerator = moderator;
      return this;
    }

    /** Moderates the answer with {@code moderator}; null for none. Defaults to none. */
    public Builder outputModerator(@Nullable Moderator moderator) {
      this.outputModerator = moderator;
      return this;
    }

    /** Which messages of the request are moderated. Defaults to {@link InputScope#LATEST_TURN}. */
    public Builder scope(InputScope scope) {
      this.scope = Check.nonNull(scope, "scope");
      return this;
    }

    /**
     * How many new characters of a streamed answer make a window, at least 1. Small windows cost more
     * moderator calls (mind a remote moderator's latency and rate limits), large ones let more text through
     * before a check. Defaults to {@value ModerationInterceptor#DEFAULT_WINDOW_CHARS}.
     */
    public Builder windowChars(int windowChars) {
      this.windowChars = Check.atLeast(windowChars, 1, "windowChars");
      return this;
    }

    /**
     * How many characters of the previous window are moderated again with the next one, at least 0 and
     * below the window: set it to the longest phrase a rule must see whole. Defaults to
     * {@value ModerationInterceptor#DEFAULT_OVERLAP_CHARS}.
     */
    public Builder overlapChars(int overlapChars) {
      this.overlapChars = Check.atLeast(overlapChars, 0, "overlapChars");
      return this;
    }

    /**
     * Whether streamed text is held back until its window passed moderation, so that nothing unchecked
     * reaches the caller. Defaults to {@value ModerationInterceptor#DEFAULT_HOLD_BACK}: text flows at once
     * and is checked a window at a time.
     */
    public Builder holdBack(boolean holdBack) {
      this.holdBack = holdBack;
      return this;
    }

    /**
     * Whether a moderator that throws lets the call on (recorded as a {@code FLAG} with rule
     * {@value ModerationInterceptor#FAILED_RULE}). Defaults to
     * {@value ModerationInterceptor#DEFAULT_FAIL_OPEN}: the moderator's exception fails the call.
     */
    public Builder failOpen(boolean failOpen) {
      this.failOpen = failOpen;
      return this;
    }

    /** Hears each decision as it is made. Defaults to {@link GuardListener#NONE}. */
    public Builder listener(GuardListener listener) {
      this.listener = Check.nonNull(listener, "listener");
      return this;
    }

    /** Builds the interceptor; it needs an input or an output moderator. */
    public ModerationInterceptor build() {
      Check.that(inputModerator != null || outputModerator != null,
          "moderation needs an input moderator, an output moderator, or both");
      Check.that(overlapChars < windowChars, "overlapChars (" + overlapChars
          + ") must be below windowChars (" + windowChars + ")");
      return new ModerationInterceptor(this);
    }
  }
}
