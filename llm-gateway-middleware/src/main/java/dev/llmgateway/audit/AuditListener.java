package dev.llmgateway.audit;

import dev.llmgateway.AttributeKey;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.Usage;
import dev.llmgateway.audit.AuditEvent.Decision;
import dev.llmgateway.audit.AuditEvent.Kind;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.ContentFilteredException;
import dev.llmgateway.error.GuardRefusedException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.OutputValidationException;
import dev.llmgateway.guard.GuardDecision;
import dev.llmgateway.guard.GuardDecisionLog;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.RouterInterceptor;
import dev.llmgateway.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the audit log: when a call ends, one {@link AuditEvent} per {@link GuardDecision} in the call's
 * {@link GuardDecisionLog} ({@link Kind#GUARD}, stamped with the decision's own time), then one for the
 * call ({@link Kind#CALL}), to the {@link AuditSink}. A listener, not an interceptor: it observes and
 * never changes a call; register it with {@code LlmGateway.builder().addListener(audit)}. The guards need
 * no wiring: they record their decisions in the call's context, where this listener reads them.
 *
 * <pre>{@code
 * AuditListener audit = AuditListener.builder()
 *     .sink(event -> auditTable.insert(event))          // default: Slf4jAuditSink
 *     .promptHashKey(Secret.of(System.getenv("AUDIT_HASH_KEY")))
 *     .cost(context -> myCostOf(context))
 *     .build();
 * }</pre>
 *
 * <p>What it records: who ({@link RequestMetadata} tenant, user, application; the user pseudonymized if
 * asked), when, the model asked for and the provider and model that answered, the router's deployment
 * ({@link RouterInterceptor#DEPLOYMENT}), the {@link PromptHash} of the request as the caller sent it,
 * the decision ({@link Decision}: completed, refused, filtered, invalid, cancelled, failed), the guard and
 * rules behind it, usage, cost (through {@link Builder#cost}) and duration. A failed call's exception is
 * recorded by its class name only. Prompt and answer text, keys and headers are never read into an event.
 *
 * <p>Thread-safe. A sink that throws is logged (at WARN, on this class's logger) and ignored.
 */
public final class AuditListener implements ChatEventListener {
  private static final Logger LOG = LoggerFactory.getLogger(AuditListener.class);

  /** The clock of call events' timestamps by default: {@link Clock#systemUTC()}. */
  public static final Clock DEFAULT_CLOCK = Clock.systemUTC();
  /** Whether guard decisions that allowed a call without remark are recorded by default: {@value}. */
  public static final boolean DEFAULT_RECORD_ALLOWED_DECISIONS = true;
  /** Whether user ids are replaced with a hash by default: {@value}. */
  public static final boolean DEFAULT_PSEUDONYMIZE_USERS = false;

  /** What the listener keeps of a call between its start and its end. */
  private record CallStart(ChatRequest request, String promptHash, AtomicBoolean ended) {}

  private final AttributeKey<CallStart> startKey = AttributeKey.of("audit.callStart", CallStart.class);
  private final AuditSink sink;
  private final Clock clock;
  private final @Nullable Secret promptHashKey;
  private final Function<CallContext, @Nullable AuditCost> cost;
  private final boolean recordAllowedDecisions;
  private final boolean pseudonymizeUsers;

  private AuditListener(Builder b) {
    this.sink = b.sink;
    this.clock = b.clock;
    this.promptHashKey = b.promptHashKey;
    this.cost = b.cost;
    this.recordAllowedDecisions = b.recordAllowedDecisions;
    this.pseudonymizeUsers = b.pseudonymizeUsers;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A listener writing to {@link Slf4jAuditSink} with every default. */
  public static AuditListener toSlf4j() {
    return builder().build();
  }

  public AuditSink sink() {
    return sink;
  }

  public Clock clock() {
    return clock;
  }

  public boolean recordAllowedDecisions() {
    return recordAllowedDecisions;
  }

  public boolean pseudonymizeUsers() {
    return pseudonymizeUsers;
  }

  /** Whether prompt hashes are keyed (HMAC). */
  public boolean keyedPromptHashes() {
    return promptHashKey != null;
  }

  @Override
  public void onCallStart(CallContext context, ChatRequest request) {
    context.put(startKey, new CallStart(request, PromptHash.of(request, promptHashKey),
        new AtomicBoolean()));
  }

  @Override
  public void onCallEnd(CallContext context, ChatResponse response, Duration elapsed) {
    end(context, response, null, elapsed);
  }

  @Override
  public void onCallFailed(CallContext context, LlmException error, Duration elapsed) {
    end(context, null, error, elapsed);
  }

  private void end(CallContext context, @Nullable ChatResponse response, @Nullable LlmException error,
      Duration elapsed) {
    CallStart start = context.get(startKey);
    if (start != null && !start.ended().compareAndSet(false, true)) {
      return;
    }
    GuardDecisionLog log = GuardDecisionLog.find(context);
    List<GuardDecision> decisions = log == null ? List.of() : log.decisions();
    for (GuardDecision d : decisions) {
      if (d.verdict() == GuardDecision.Verdict.ALLOW && !recordAllowedDecisions) {
        continue;
      }
      AuditEvent.Builder e = common(Kind.GUARD, context, start)
          .timestamp(d.at())
          .decision(switch (d.verdict()) {
            case ALLOW -> Decision.ALLOWED;
            case FLAG -> Decision.FLAGGED;
            case BLOCK -> Decision.BLOCKED;
          })
          .guard(d.guard())
          .stage(d.stage().name())
          .matchedRules(d.matchedRules())
          .categories(d.categories())
          .score(d.score());
      emit(e.build());
    }
    AuditEvent.Builder call = common(Kind.CALL, context, start)
        .timestamp(clock.instant())
        .duration(elapsed);
    GuardDecision block = log == null ? null : log.firstBlock();
    if (response != null) {
      call.decision(Decision.COMPLETED)
          .provider(response.provider().isEmpty() ? null : response.provider())
          .answeredModel(response.model().isEmpty() ? null : response.model())
          .usage(response.usage().equals(Usage.ZERO) ? null : response.usage());
      flagged(call, decisions);
    } else {
      LlmException e = java.util.Objects.requireNonNull(error);
      call.decision(decisionFor(e)).error(e.getClass().getSimpleName()).provider(e.provider());
      if (block != null) {
        call.guard(block.guard()).matchedRules(block.matchedRules()).categories(block.categories());
      } else {
        flagged(call, decisions);
      }
    }
    call.cost(costOf(context));
    emit(call.build());
  }

  private AuditEvent.Builder common(Kind kind, CallContext context, @Nullable CallStart start) {
    AuditEvent.Builder b = AuditEvent.builder(kind, context.callId()).streaming(context.streaming());
    if (start != null) {
      RequestMetadata m = start.request().metadata();
      b.tenant(m.tenant()).user(user(m.user())).application(m.application())
          .model(start.request().model()).promptHash(start.promptHash());
    }
    Deployment deployment = context.get(RouterInterceptor.DEPLOYMENT);
    if (deployment != null) {
      b.deployment(deployment.id());
    }
    return b;
  }

  /** Puts the guards and rules of the flagging decisions on a call event. */
  private static void flagged(AuditEvent.Builder call, List<GuardDecision> decisions) {
    Set<String> guards = new LinkedHashSet<>();
    List<String> rules = new ArrayList<>();
    List<String> categories = new ArrayList<>();
    for (GuardDecision d : decisions) {
      if (d.verdict() == GuardDecision.Verdict.FLAG) {
        guards.add(d.guard());
        rules.addAll(d.matchedRules());
        categories.addAll(d.categories());
      }
    }
    if (!guards.isEmpty()) {
      call.guard(String.join(",", guards)).matchedRules(rules).categories(categories);
    }
  }

  private static Decision decisionFor(LlmException e) {
    if (e instanceof GuardRefusedException) {
      return Decision.REFUSED;
    }
    if (e instanceof ContentFilteredException) {
      return Decision.FILTERED;
    }
    if (e instanceof OutputValidationException) {
      return Decision.INVALID;
    }
    if (e instanceof CallCancelledException) {
      return Decision.CANCELLED;
    }
    return Decision.FAILED;
  }

  private @Nullable AuditCost costOf(CallContext context) {
    try {
      return cost.apply(context);
    } catch (RuntimeException e) {
      LOG.warn("the audit cost function failed on call {}: {}", context.callId(), e.toString());
      return null;
    }
  }

  private @Nullable String user(@Nullable String user) {
    if (user == null || !pseudonymizeUsers) {
      return user;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(
          ((promptHashKey != null ? promptHashKey.reveal() : "") + "\u0000" + user)
              .getBytes(StandardCharsets.UTF_8));
      return "user:" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  private void emit(AuditEvent event) {
    try {
      sink.record(event);
    } catch (RuntimeException e) {
      LOG.warn("audit sink {} failed on call {}: {}", sink.getClass().getName(), event.callId(),
          e.toString());
    }
  }

  @Override
  public String toString() {
    return "AuditListener[sink=" + sink.getClass().getSimpleName()
        + (promptHashKey != null ? ", keyed hashes" : "")
        + (pseudonymizeUsers ? ", pseudonymized users" : "") + "]";
  }

  /** Builds an {@link AuditListener}. Not thread-safe. */
  public static final class Builder {
    private AuditSink sink = new Slf4jAuditSink();
    private Clock clock = DEFAULT_CLOCK;
    private @Nullable Secret promptHashKey;
    private Function<CallContext, @Nullable AuditCost> cost = context -> null;
    private boolean recordAllowedDecisions = DEFAULT_RECORD_ALLOWED_DECISIONS;
    private boolean pseudonymizeUsers = DEFAULT_PSEUDONYMIZE_USERS;

    private Builder() {}

    /** Where events go. Defaults to a {@link Slf4jAuditSink} on {@value Slf4jAuditSink#DEFAULT_LOGGER_NAME}. */
    public Builder sink(AuditSink sink) {
      this.sink = Check.nonNull(sink, "sink");
      return this;
    }

    /** The clock of call events' timestamps. Defaults to {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = Check.nonNull(clock, "clock");
      return this;
    }

    /**
     * Keys the prompt hashes (HMAC-SHA-256), and the user pseudonyms, with {@code key}. Defaults to null:
     * plain SHA-256.
     */
    public Builder promptHashKey(@Nullable Secret key) {
      this.promptHashKey = key;
      return this;
    }

    /**
     * Reads a call's cost from its context when it ends, e.g. the attribute an accounting interceptor
     * set. Defaults to none: events carry no cost.
     */
    public Builder cost(Function<CallContext, @Nullable AuditCost> cost) {
      this.cost = Check.nonNull(cost, "cost");
      return this;
    }

    /**
     * Whether a guard decision that let a call through without remark gets an event of its own. Defaults
     * to {@value AuditListener#DEFAULT_RECORD_ALLOWED_DECISIONS}: every decision is on record; turn it off
     * to record only flags and blocks.
     */
    public Builder recordAllowedDecisions(boolean record) {
      this.recordAllowedDecisions = record;
      return this;
    }

    /**
     * Whether user ids are replaced by {@code user:<16 hex digits>} (SHA-256, keyed with the prompt hash
     * key when one is set), stable per user. Defaults to
     * {@value AuditListener#DEFAULT_PSEUDONYMIZE_USERS}.
     */
    public Builder pseudonymizeUsers(boolean pseudonymize) {
      this.pseudonymizeUsers = pseudonymize;
      return this;
    }

    public AuditListener build() {
      return new AuditListener(this);
    }
  }
}
