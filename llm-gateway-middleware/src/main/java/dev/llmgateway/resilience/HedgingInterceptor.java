package dev.llmgateway.resilience;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.resilience.internal.HedgedRace;
import dev.llmgateway.resilience.internal.LatencyWindow;
import dev.llmgateway.resilience.internal.PrimedStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Hedged requests: when the first attempt of a call has not answered after its group's
 * {@link HedgePolicy} delay (fixed, or the observed percentile of the group's recent latencies), a second
 * attempt is started on the executor; the first to answer wins, and the other is cancelled: each attempt
 * runs under its own {@link CallContext#fork()}, so cancelling the loser aborts its HTTP call without
 * touching the winner. When both fail, the first attempt's failure is thrown with the second's attached as
 * suppressed; when the first fails before the hedge started, no hedge is sent (retrying is the
 * {@link RetryInterceptor}'s job).
 *
 * <p>Only groups with a policy are hedged ({@link Builder#group}, or {@link Builder#defaultPolicy} for
 * all); others pass through untouched, on the calling thread. The attempts of a hedged call both run on
 * the executor while the calling thread waits, so the winner's answer is returned at once, however long
 * the loser takes to notice its cancellation.
 *
 * <p>Position: before (outside) the router, so that each attempt is routed on its own and the hedge may
 * go to another deployment; the group is then the request's model. Give the group's strategy a
 * {@link HedgeAwareStrategy} so that the hedge is routed away from the deployment the first attempt is
 * waiting on (each attempt runs a routing of its own, and the router only skips what this one routing
 * tried). Every attempt is recorded in the router's attempt log, the cancelled loser as failed with a
 * {@link dev.llmgateway.error.CallCancelledException} (which cooldowns and breakers ignore).
 * {@code LlmGatewayBuilder.hedging(byGroup)} installs this interceptor in that place, on the gateway's
 * executor and scheduler, and wraps each hedged group's strategy for you.
 *
 * <p><b>Streams</b> are hedged up to their first answer chunk: an attempt "answers" when its stream
 * delivers the first chunk that is part of the answer (pulled inside this interceptor); the losing stream
 * is closed. After that, the winner's stream is the caller's, with no further hedging.
 *
 * <p>Hedging doubles the load on a slow group; keep the delay near a high percentile of its latencies.
 */
public final class HedgingInterceptor implements Interceptor {
  /** The policy of groups that have none of their own, by default: none (they are not hedged). */
  public static final @Nullable HedgePolicy DEFAULT_POLICY = null;
  /** The group of a call by default: the request's model as this interceptor sees it. */
  public static final BiFunction<ChatRequest, CallContext, @Nullable String> DEFAULT_GROUP_OF =
      (request, context) -> request.model();
  /** The time source for latencies by default: {@link System#nanoTime()}. */
  public static final LongSupplier DEFAULT_NANO_TIME = System::nanoTime;

  private final Executor executor;
  private final ScheduledExecutorService scheduler;
  private final @Nullable HedgePolicy defaultPolicy;
  private final Map<String, HedgePolicy> groups;
  private final BiFunction<ChatRequest, CallContext, @Nullable String> groupOf;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, LatencyWindow> latencies = new ConcurrentHashMap<>();

  private HedgingInterceptor(Builder b) {
    this.executor = b.executor;
    this.scheduler = b.scheduler;
    this.defaultPolicy = b.defaultPolicy;
    this.groups = Map.copyOf(b.groups);
    this.groupOf = b.groupOf;
    this.nanoTime = b.nanoTime;
  }

  /**
   * A builder whose hedges run on {@code executor} (e.g. the gateway's) and whose delays are timed on
   * {@code scheduler}; the host owns both.
   */
  public static Builder builder(Executor executor, ScheduledExecutorService scheduler) {
    return new Builder(executor, scheduler);
  }

  public @Nullable HedgePolicy defaultPolicy() {
    return defaultPolicy;
  }

  public Map<String, HedgePolicy> groups() {
    return groups;
  }

  /** The policy for {@code group}: its own, else the default; null when it is not hedged. */
  public @Nullable HedgePolicy policyFor(@Nullable String group) {
    HedgePolicy own = group == null ? null : groups.get(group);
    return own != null ? own : defaultPolicy;
  }

  /**
   * How long the next call of {@code group} would wait before hedging: the fixed delay, or the observed
   * percentile of the group's recent latencies (not below the policy's minimum); null when the group is
   * not hedged.
   */
  public @Nullable Duration currentDelay(@Nullable String group) {
    HedgePolicy policy = policyFor(group);
    if (policy == null) {
      return null;
    }
    Double percentile = policy.percentile();
    LatencyWindow window = group == null ? null : latencies.get(group);
    if (percentile == null || window == null || window.size() < policy.minSamples()) {
      return policy.delay();
    }
    Duration observed = window.percentile(percentile);
    if (observed == null) {
      return policy.delay();
    }
    return observed.compareTo(policy.minDelay()) < 0 ? policy.minDelay() : observed;
  }

  @Override
  public ChatResponse intercept(ChatRequest request, Chain chain) {
    String group = groupOf.apply(request, chain.context());
    Duration delay = currentDelay(group);
    if (delay == null) {
      return chain.proceed(request);
    }
    return race(group, delay, chain.context(), fork -> chain.withContext(fork).proceed(request),
        response -> {});
  }

  @Override
  public ChatStream interceptStream(ChatRequest request, StreamChain chain) {
    String group = groupOf.apply(request, chain.context());
    Duration delay = currentDelay(group);
    if (delay == null) {
      return chain.proceed(request);
    }
    return race(group, delay, chain.context(),
        fork -> PrimedStream.prime(chain.withContext(fork).proceed(request)), PrimedStream::close);
  }

  private <T> T race(@Nullable String group, Duration delay, CallContext context,
      Function<CallContext, T> attempt, Consumer<T> discard) {
    context.throwIfCancelled();
    HedgedRace<T> race = new HedgedRace<>(context, discard);
    ScheduledFuture<?> hedgeTimer = scheduler.schedule(() -> start(race, group, attempt),
        delay.toNanos(), TimeUnit.NANOSECONDS);
    try {
      start(race, group, attempt);
      return race.await();
    } finally {
      hedgeTimer.cancel(false);
    }
  }

  /** Starts an attempt on the executor, unless the race is already decided. */
  private <T> void start(HedgedRace<T> race, @Nullable String group, Function<CallContext, T> attempt) {
    CallContext fork = race.begin();
    if (fork == null) {
      return;
    }
    try {
      executor.execute(() -> run(race, fork, group, attempt));
    } catch (RejectedExecutionException e) {
      race.failed(fork, new IllegalStateException("the executor rejected a hedged attempt", e));
    }
  }

  private <T> void run(HedgedRace<T> race, CallContext fork, @Nullable String group,
      Function<CallContext, T> attempt) {
    long start = nanoTime.getAsLong();
    T value;
    try {
      value = attempt.apply(fork);
    } catch (RuntimeException | Error e) {
      race.failed(fork, e);
      return;
    }
    HedgePolicy policy = policyFor(group);
    if (group != null && policy != null && policy.isAdaptive()) {
      latencies.computeIfAbsent(group, g -> new LatencyWindow(policy.window()))
          .add(Duration.ofNanos(Math.max(0, nanoTime.getAsLong() - start)));
    }
    race.succeeded(fork, value);
  }

  @Override
  public String toString() {
    return "HedgingInterceptor[default=" + defaultPolicy + ", groups=" + groups.keySet() + "]";
  }

  /** Builds a {@link HedgingInterceptor}. Not thread-safe. */
  public static final class Builder {
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private @Nullable HedgePolicy defaultPolicy = DEFAULT_POLICY;
    private final Map<String, HedgePolicy> groups = new LinkedHashMap<>();
    private BiFunction<ChatRequest, CallContext, @Nullable String> groupOf = DEFAULT_GROUP_OF;
    private LongSupplier nanoTime = DEFAULT_NANO_TIME;

    private Builder(Executor executor, ScheduledExecutorService scheduler) {
      this.executor = Check.nonNull(executor, "executor");
      this.scheduler = Check.nonNull(scheduler, "scheduler");
    }

    /** Hedges calls of {@code group} as {@code policy} says. Defaults to no group hedged. */
    public Builder group(String group, HedgePolicy policy) {
      Check.that(group != null && !group.isBlank(), "group must not be blank");
      groups.put(group, Check.nonNull(policy, "policy of group '" + group + "'"));
      return this;
    }

    /** Sets the policies of several groups, as {@link #group} does for each. */
    public Builder groups(Map<String, HedgePolicy> policies) {
      Check.nonNull(policies, "groups").forEach(this::group);
      return this;
    }

    /**
     * The policy of every group without one of its own; null to hedge only the groups named. Defaults to
     * {@link #DEFAULT_POLICY}, null.
     */
    public Builder defaultPolicy(@Nullable HedgePolicy policy) {
      this.defaultPolicy = policy;
      return this;
    }

    /** Which group a call belongs to. Defaults to {@link #DEFAULT_GROUP_OF}, the request's model. */
    public Builder groupOf(BiFunction<ChatRequest, CallContext, @Nullable String> groupOf) {
      this.groupOf = Check.nonNull(groupOf, "groupOf");
      return this;
    }

    /** The time source latencies are measured with. Defaults to {@link #DEFAULT_NANO_TIME}. */
    public Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = Check.nonNull(nanoTime, "nanoTime");
      return this;
    }

    public HedgingInterceptor build() {
      return new HedgingInterceptor(this);
    }
  }
}
