package dev.llmgateway.resilience;

import dev.llmgateway.AttributeKey;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.resilience.internal.CallTimers;
import dev.llmgateway.resilience.internal.CallTimers.Limit;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.resilience.internal.PrimedStream;
import dev.llmgateway.routing.RouterInterceptor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Enforces {@link TimeoutPolicy} limits: the whole call, the first token of a stream and the silence
 * between stream chunks, each settable for every call ({@link Builder#defaultPolicy}), per model group
 * ({@link Builder#group}) and per request ({@link TimeoutPolicy#CALL_OPTION}), the most specific setting
 * of each limit winning.
 *
 * <p>The rest of the pipeline runs under a {@link CallContext#fork()} of the call's context. Timers run
 * on a shared {@link ScheduledExecutorService}; when one fires it cancels that fork, which aborts the HTTP
 * call (OkHttp {@code Call.cancel}), and the caller gets an {@link dev.llmgateway.error.LlmTimeoutException}
 * naming the limit ("first-token timeout of PT2S"). The whole-call limit behaves like
 * {@link dev.llmgateway.CallOptions#timeout()} (not retryable, and published as {@link #DEADLINE} so that
 * a {@link RetryInterceptor} or {@link HedgingInterceptor} inside never waits past it); the first-token
 * and idle timeouts are retryable.
 *
 * <p>Position: outermost of the resilience steps (before the hedging and router interceptors), the
 * limits then bound what the caller waits for, whatever happens inside. Placed instead inside a
 * {@link RetryInterceptor}, with first-token and idle limits only ({@link Builder#limits}), it bounds each
 * attempt and the retry interceptor retries an attempt that timed out. {@code LlmGatewayBuilder.timeouts}
 * installs both: the whole-call limit outermost, the first-token and idle limits per attempt. A call's
 * group is the router's group of the current attempt when this interceptor sits inside the router, else
 * the request's model (the alias, before the router); a key that names a deployment's
 * {@code provider/model} matches inside the router too.
 *
 * <p><b>Streams</b>: the first-token timer runs from the call's entry into this interceptor until the
 * first chunk that is part of the answer (a {@link ChatChunk.Start} or a usage count does not count);
 * from then on, the idle timer restarts with every chunk; the whole-call timer runs until the stream ends
 * or is closed. Blocking calls know only the whole-call limit.
 */
public final class TimeoutInterceptor implements Interceptor {
  /**
   * When the call must be over by this interceptor's whole-call limit; set for the interceptors inside.
   * Read it with {@code context.get(TimeoutInterceptor.DEADLINE)}.
   */
  public static final AttributeKey<Instant> DEADLINE = AttributeKey.of("timeoutDeadline", Instant.class);
  /** The limits of calls whose request and group set none, by default: {@link TimeoutPolicy#NONE}. */
  public static final TimeoutPolicy DEFAULT_POLICY = TimeoutPolicy.NONE;
  /** The clock {@link #DEADLINE} is computed with by default: {@link Clock#systemUTC()}. */
  public static final Clock DEFAULT_CLOCK = Clock.systemUTC();
  /** The limits an interceptor enforces by default: all three (whole call, first token, idle). */
  public static final Set<TimeoutPolicy.Limit> DEFAULT_LIMITS =
      Collections.unmodifiableSet(EnumSet.allOf(TimeoutPolicy.Limit.class));
  /**
   * The group of a call by default: the group of the router's latest attempt
   * ({@link RouterInterceptor#GROUP}), null before the router ran; the request's model is looked up
   * when this finds no policy.
   */
  public static final BiFunction<ChatRequest, CallContext, @Nullable String> DEFAULT_GROUP_OF =
      (request, context) -> context.get(RouterInterceptor.GROUP);

  private final ScheduledExecutorService scheduler;
  private final TimeoutPolicy defaultPolicy;
  private final Map<String, TimeoutPolicy> groups;
  private final Clock clock;
  private final BiFunction<ChatRequest, CallContext, @Nullable String> groupOf;
  private final Set<TimeoutPolicy.Limit> limits;

  private TimeoutInterceptor(Builder b) {
    this.scheduler = b.scheduler;
    this.defaultPolicy = b.defaultPolicy;
    this.groups = Map.copyOf(b.groups);
    this.clock = b.clock;
    this.groupOf = b.groupOf;
    this.limits = Collections.unmodifiableSet(EnumSet.copyOf(b.limits));
  }

  /**
   * A builder whose timers run on {@code scheduler}, which the host owns (one thread is plenty: timer
   * tasks only cancel calls).
   */
  public static Builder builder(ScheduledExecutorService scheduler) {
    return new Builder(scheduler);
  }

  public TimeoutPolicy defaultPolicy() {
    return defaultPolicy;
  }

  /** The policies by group name. */
  public Map<String, TimeoutPolicy> groups() {
    return groups;
  }

  public Clock clock() {
    return clock;
  }

  /** The limits this interceptor enforces; the others, however set, are left to another one. */
  public Set<TimeoutPolicy.Limit> limits() {
    return limits;
  }

  /**
   * The limits that apply to {@code request}: its own, then its group's (the group {@link Builder#groupOf}
   * names, else its model's), then the default; of them, those this interceptor enforces
   * ({@link #limits()}).
   */
  public TimeoutPolicy policyFor(ChatRequest request, CallContext context) {
    TimeoutPolicy policy = defaultPolicy;
    String group = groupOf.apply(request, context);
    TimeoutPolicy byGroup = group == null ? null : groups.get(group);
    if (byGroup == null) {
      byGroup = groups.get(request.model());
    }
    if (byGroup != null) {
      policy = byGroup.orElse(policy);
    }
    TimeoutPolicy byRequest = context.options().get(TimeoutPolicy.CALL_OPTION);
    TimeoutPolicy merged = byRequest == null ? policy : byRequest.orElse(policy);
    return limits.size() == TimeoutPolicy.Limit.values().length ? merged : merged.only(limits);
  }

  @Override
  public ChatResponse intercept(ChatRequest request, Chain chain) {
    CallContext context = chain.context();
    Duration wholeCall = policyFor(request, context).wholeCall();
    if (wholeCall == null) {
      return chain.proceed(request);
    }
    CallContext scope = context.fork();
    CallTimers timers = new CallTimers(scope, scheduler);
    publishDeadline(context, wholeCall);
    timers.arm(Limit.WHOLE_CALL, wholeCall);
    try {
      return chain.withContext(scope).proceed(request);
    } catch (LlmException e) {
      throw timers.translate(e);
    } finally {
      timers.disarmAll();
    }
  }

  @Override
  public ChatStream interceptStream(ChatRequest request, StreamChain chain) {
    CallContext context = chain.context();
    TimeoutPolicy policy = policyFor(request, context);
    if (policy.isEmpty()) {
      return chain.proceed(request);
    }
    CallContext scope = context.fork();
    CallTimers timers = new CallTimers(scope, scheduler);
    if (policy.wholeCall() != null) {
      publishDeadline(context, policy.wholeCall());
      timers.arm(Limit.WHOLE_CALL, policy.wholeCall());
    }
    if (policy.firstToken() != null) {
      timers.arm(Limit.FIRST_TOKEN, policy.firstToken());
    }
    ChatStream stream;
    try {
      stream = chain.withContext(scope).proceed(request);
    } catch (LlmException e) {
      timers.disarmAll();
      throw timers.translate(e);
    } catch (RuntimeException | Error e) {
      timers.disarmAll();
      throw e;
    }
    return new TimedStream(stream, timers, policy.idle());
  }

  private void publishDeadline(CallContext context, Duration wholeCall) {
    Instant mine = clock.instant().plus(wholeCall);
    Instant existing = context.get(DEADLINE);
    if (existing == null || mine.isBefore(existing)) {
      context.put(DEADLINE, mine);
    }
  }

  @Override
  public String toString() {
    return "TimeoutInterceptor[default=" + defaultPolicy + ", groups=" + groups.keySet() + ", limits="
        + limits + "]";
  }

  /** A stream under timers: each answer chunk stops the first-token timer and restarts the idle one. */
  private static final class TimedStream implements ChatStream {
    private final ChatStream source;
    private final CallTimers timers;
    private final @Nullable Duration idle;
    private volatile @Nullable LlmException failure;
    private boolean answering;

    TimedStream(ChatStream source, CallTimers timers, @Nullable Duration idle) {
      this.source = source;
      this.timers = timers;
      this.idle = idle;
    }

    @Override
    public @Nullable ChatChunk next() {
      LlmException failed = failure;
      if (failed != null) {
        throw failed;
      }
      ChatChunk chunk;
      try {
        chunk = source.next();
      } catch (LlmException e) {
        timers.disarmAll();
        LlmException reported = timers.translate(e);
        if (timers.fired() != null) {
          failure = reported;
        }
        throw reported;
      }
      if (chunk == null) {
        timers.disarmAll();
        return null;
      }
      if (!answering && PrimedStream.isAnswer(chunk)) {
        answering = true;
        timers.disarm(Limit.FIRST_TOKEN);
      }
      if (answering && idle != null) {
        timers.arm(Limit.IDLE, idle);
      }
      return chunk;
    }

    @Override
    public void close() {
      timers.disarmAll();
      source.close();
    }
  }

  /** Builds a {@link TimeoutInterceptor}. Not thread-safe. */
  public static final class Builder {
    private final ScheduledExecutorService scheduler;
    private TimeoutPolicy defaultPolicy = DEFAULT_POLICY;
    private final Map<String, TimeoutPolicy> groups = new LinkedHashMap<>();
    private Clock clock = DEFAULT_CLOCK;
    private BiFunction<ChatRequest, CallContext, @Nullable String> groupOf = DEFAULT_GROUP_OF;
    private Set<TimeoutPolicy.Limit> limits = DEFAULT_LIMITS;

    private Builder(ScheduledExecutorService scheduler) {
      this.scheduler = Check.nonNull(scheduler, "scheduler");
    }

    /** The limits of calls whose request and group set none. Defaults to {@link #DEFAULT_POLICY}. */
    public Builder defaultPolicy(TimeoutPolicy policy) {
      this.defaultPolicy = Check.nonNull(policy, "defaultPolicy");
      return this;
    }

    /** The limits of calls to model group {@code group}. Defaults to none per group. */
    public Builder group(String group, TimeoutPolicy policy) {
      Check.that(group != null && !group.isBlank(), "group must not be blank");
      groups.put(group, Check.nonNull(policy, "policy of group '" + group + "'"));
      return this;
    }

    /** Sets the limits of several groups at once, as {@link #group} does for each. */
    public Builder groups(Map<String, TimeoutPolicy> policies) {
      Check.nonNull(policies, "groups").forEach(this::group);
      return this;
    }

    /** The clock {@link #DEADLINE} is computed with. Defaults to {@link #DEFAULT_CLOCK}. */
    public Builder clock(Clock clock) {
      this.clock = Check.nonNull(clock, "clock");
      return this;
    }

    /**
     * Which group a call belongs to (null for none); when it names no group with a policy, the request's
     * model is looked up. Defaults to {@link #DEFAULT_GROUP_OF}, the router's group.
     */
    public Builder groupOf(BiFunction<ChatRequest, CallContext, @Nullable String> groupOf) {
      this.groupOf = Check.nonNull(groupOf, "groupOf");
      return this;
    }

    /**
     * Which limits this interceptor enforces; the others are left to another {@code TimeoutInterceptor}
     * (the gateway builder installs one with {@link TimeoutPolicy.Limit#WHOLE_CALL} outside the router
     * and one with {@link TimeoutPolicy.Limit#FIRST_TOKEN} and {@link TimeoutPolicy.Limit#IDLE} inside the
     * retries, so that those bound each attempt). At least one. Defaults to {@link #DEFAULT_LIMITS}, all.
     */
    public Builder limits(Set<TimeoutPolicy.Limit> limits) {
      Check.nonNull(limits, "limits");
      Check.that(!limits.isEmpty(), "limits must name at least one limit");
      this.limits = EnumSet.copyOf(limits);
      return this;
    }

    public TimeoutInterceptor build() {
      return new TimeoutInterceptor(this);
    }
  }
}
