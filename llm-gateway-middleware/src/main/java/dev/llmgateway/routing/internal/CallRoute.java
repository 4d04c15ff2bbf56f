package dev.llmgateway.routing.internal;

import dev.llmgateway.Attempt;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Usage;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.NoDeploymentAvailableException;
import dev.llmgateway.error.RateLimitedException;
import dev.llmgateway.routing.AttemptLog;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.DeploymentStats;
import dev.llmgateway.routing.ModelGroup;
import dev.llmgateway.routing.RouterInterceptor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The routing of one call: which deployments and groups it tried, why each failed, and where it goes
 * next. {@link #next()} and {@link #failed} run on the calling thread while the router looks for a
 * deployment; the recording methods may run later, on the thread that consumes a stream.
 */
public final class CallRoute {
  private final RouterConfig config;
  private final ModelGroup requested;
  private final ChatRequest request;
  private final CallContext context;
  private final long inputTokens;
  private final long neededTokens;
  private final AttemptLog log;
  private final List<Attempt> attempts = new CopyOnWriteArrayList<>();

  private final Set<String> triedDeployments = new HashSet<>();
  private final Set<String> refusedDeployments = new HashSet<>();
  private final Set<String> triedGroups = new LinkedHashSet<>();
  private final List<LlmException> causes = new ArrayList<>();
  private final List<String> summary = new ArrayList<>();
  private ModelGroup current;
  private @Nullable FailureKind groupOutcome;
  private @Nullable LlmException groupFailure;
  private long tooSmallWindow;

  public CallRoute(RouterConfig config, ModelGroup requested, ChatRequest request, CallContext context) {
    this.config = config;
    this.requested = requested;
    this.request = request;
    this.context = context;
    this.inputTokens = Math.max(0, config.tokens().estimate(request));
    this.neededTokens = inputTokens + (request.maxTokens() == null ? 0 : request.maxTokens());
    this.log = context.computeIfAbsent(RouterInterceptor.ATTEMPTS, k -> new AttemptLog());
    this.current = requested;
    triedGroups.add(requested.name());
  }

  /** A deployment chosen for one attempt, counted in flight, and the request rewritten for it. */
  public record Lease(ModelGroup group, Deployment deployment, DeploymentStats.InFlightCall call,
      ChatRequest request) {}

  /**
   * The next deployment to try, counted in flight; moves on to fallback groups as needed.
   *
   * @throws NoDeploymentAvailableException when no deployment of any group it may try is left
   */
  public Lease next() {
    while (true) {
      context.throwIfCancelled();
      Lease lease = chooseInCurrentGroup(config.clock().instant());
      if (lease != null) {
        context.put(RouterInterceptor.GROUP, lease.group().name());
        context.put(RouterInterceptor.DEPLOYMENT, lease.deployment());
        return lease;
      }
      moveToFallback(config.clock().instant());
    }
  }

  private @Nullable Lease chooseInCurrentGroup(Instant now) {
    // Health may be a remote store: ask it before taking the lock, which guards local counters and the
    // health's permission for the chosen deployment only (DeploymentHealth.tryAcquire).
    List<Deployment> available = new ArrayList<>();
    for (Deployment d : current.deployments()) {
      if (!triedDeployments.contains(d.id()) && fits(d) && config.health().isAvailable(d.id(), now)) {
        available.add(d);
      }
    }
    if (available.isEmpty()) {
      return null;
    }
    config.selectionLock().lock();
    try {
      Set<String> raced = new HashSet<>();
      while (true) {
        List<Deployment> candidates = new ArrayList<>();
        for (Deployment d : available) {
          if (!raced.contains(d.id()) && !atInFlightLimit(d)) {
            candidates.add(d);
          }
        }
        if (candidates.isEmpty()) {
          return null;
        }
        Deployment chosen = current.strategy().choose(List.copyOf(candidates), request, context,
            config.stats());
        if (chosen == null || !candidates.contains(chosen)) {
          throw new IllegalStateException("routing strategy " + current.strategy() + " of group '"
              + current.name() + "' returned " + (chosen == null ? "null" : "deployment '"
              + chosen.id() + "'") + ", which is not one of its candidates " + ids(candidates));
        }
        if (!config.health().tryAcquire(chosen.id(), now)) {
          raced.add(chosen.id()); // e.g. a half-open breaker whose probes other calls just took
          continue;
        }
        DeploymentStats.InFlightCall call =
            config.stats().tryBegin(chosen.id(), inputTokens, chosen.maxInFlight());
        if (call == null) {
          config.health().release(chosen.id());
          raced.add(chosen.id()); // filled up by calls counted outside this router
          continue;
        }
        triedDeployments.add(chosen.id());
        return new Lease(current, chosen, call, request.withModel(chosen.target()));
      }
    } finally {
      config.selectionLock().unlock();
    }
  }

  private boolean atInFlightLimit(Deployment d) {
    return d.maxInFlight() != null && config.stats().inFlight(d.id()) >= d.maxInFlight();
  }

  /** Why {@code d} cannot take this call now ("tried", "window", "cooling", "busy"), or null when it can. */
  private @Nullable String refusal(Deployment d, Instant now) {
    if (triedDeployments.contains(d.id())) {
      return "tried";
    }
    if (!fits(d)) {
      return "window";
    }
    if (!config.health().isAvailable(d.id(), now)) {
      return "cooling";
    }
    if (atInFlightLimit(d)) {
      return "busy";
    }
    return null;
  }

  private boolean fits(Deployment d) {
    Integer window = config.contextWindow(d);
    return window == null || (window > tooSmallWindow && neededTokens <= window);
  }

  private void moveToFallback(Instant now) {
    FailureKind kind = groupOutcome;
    if (kind == null) {
      // No attempt in this group: it goes to the larger-context fallbacks only if nothing in it fits.
      List<Deployment> untried = current.deployments().stream()
          .filter(d -> !triedDeployments.contains(d.id())).toList();
      kind = !untried.isEmpty() && untried.stream().noneMatch(this::fits)
          ? FailureKind.CONTEXT_LENGTH : FailureKind.GENERAL;
    }
    LlmException firstRefusal = refuseRemaining(current, now);
    LlmException cause = groupFailure != null ? groupFailure
        : firstRefusal != null ? firstRefusal
        : causes.isEmpty() ? null : causes.get(causes.size() - 1);
    List<String> fallbacks = switch (kind) {
      case CONTEXT_LENGTH -> requested.contextLengthFallbacks();
      case CONTENT_FILTER -> requested.contentFilterFallbacks();
      default -> requested.fallbacks();
    };
    String next = null;
    for (String name : fallbacks) {
      if (!triedGroups.contains(name)) {
        next = name;
        break;
      }
    }
    if (next == null) {
      throw exhausted(now);
    }
    if (cause != null) {
      context.events().onFallback(context, current.name(), next, cause);
    }
    current = config.groups().get(next);
    triedGroups.add(next);
    groupOutcome = null;
    groupFailure = null;
  }

  /** Adds the router's own refusal of every untried deployment of {@code group}; returns the first. */
  private @Nullable LlmException refuseRemaining(ModelGroup group, Instant now) {
    LlmException first = null;
    for (Deployment d : group.deployments()) {
      if (triedDeployments.contains(d.id()) || !refusedDeployments.add(d.id())) {
        continue;
      }
      String why = refusal(d, now);
      ErrorContext where = ErrorContext.of(d.provider(), d.model());
      LlmException refusal;
      if ("window".equals(why)) {
        Integer window = config.contextWindow(d);
        refusal = new ContextLengthExceededException("deployment '" + d.id() + "' was skipped: its"
            + " context window of " + window + " tokens cannot hold the request (about "
            + neededTokens + " tokens estimated with maxTokens"
            + (tooSmallWindow > 0 ? ", and a window of " + tooSmallWindow + " already refused it" : "")
            + ")", where, null);
        summary.add(d.id() + ": context window too small");
      } else if ("cooling".equals(why)) {
        Duration wait = config.health().retryAfter(d.id(), now);
        refusal = new RateLimitedException("deployment '" + d.id() + "' was skipped: it is cooling down"
            + " after recent failures", where.withRetryAfter(wait).withRetryable(true), null);
        summary.add(d.id() + ": cooling down");
      } else if ("busy".equals(why)) {
        refusal = new RateLimitedException("deployment '" + d.id() + "' was skipped: it has its limit of "
            + d.maxInFlight() + " calls in flight", where.withRetryable(true), null);
        summary.add(d.id() + ": at its in-flight limit");
      } else {
        continue; // became available after the group gave up; it is not a cause
      }
      causes.add(refusal);
      if (first == null) {
        first = refusal;
      }
    }
    return first;
  }

  private NoDeploymentAvailableException exhausted(Instant now) {
    Duration soonest = null;
    for (String name : triedGroups) {
      for (Deployment d : config.groups().get(name).deployments()) {
        Duration wait = config.health().retryAfter(d.id(), now);
        if (wait != null && (soonest == null || wait.compareTo(soonest) < 0)) {
          soonest = wait;
        }
      }
    }
    List<String> others = new ArrayList<>(triedGroups);
    others.remove(requested.name());
    String message = "no deployment could serve model '" + requested.name() + "'"
        + (others.isEmpty() ? "" : " or its fallbacks " + others) + ": "
        + (summary.isEmpty() ? "no deployment to try" : String.join("; ", summary));
    return new NoDeploymentAvailableException(message,
        ErrorContext.of(null, requested.name()).withRetryAfter(soonest), causes, attempts);
  }

  /** The attempt succeeded. */
  public void succeeded(Lease lease, @Nullable Usage usage) {
    Instant now = config.clock().instant();
    Duration took = lease.call().elapsed();
    lease.call().succeeded(usage);
    config.health().recordSuccess(lease.deployment().id(), now);
    Deployment d = lease.deployment();
    record(Attempt.succeeded(lease.group().name(), d.id(), d.target(), took));
  }

  /**
   * The attempt failed before any part of the answer reached the caller: records it, and returns when
   * the call should move on to another deployment.
   *
   * @throws LlmException {@code error} itself, with the earlier failures suppressed, when it would fail
   *     everywhere or the call was cancelled
   */
  public void failed(Lease lease, LlmException error) {
    recordFailure(lease, error);
    causes.add(error);
    summary.add(lease.deployment().id() + ": " + error.getClass().getSimpleName());
    FailureKind kind = FailureKind.of(error);
    if (kind == FailureKind.FATAL) {
      for (LlmException earlier : causes) {
        if (earlier != error) {
          error.addSuppressed(earlier);
        }
      }
      throw error;
    }
    groupOutcome = kind;
    groupFailure = error;
    if (kind == FailureKind.CONTEXT_LENGTH) {
      Integer window = config.contextWindow(lease.deployment());
      if (window != null) {
        tooSmallWindow = Math.max(tooSmallWindow, window);
      }
    }
  }

  /** The attempt failed after part of the answer reached the caller: recorded, not routed around. */
  public void failedAfterAnswerBegan(Lease lease, LlmException error) {
    recordFailure(lease, error);
  }

  private void recordFailure(Lease lease, LlmException error) {
    Instant now = config.clock().instant();
    Duration took = lease.call().elapsed();
    lease.call().failed(error);
    config.health().recordFailure(lease.deployment().id(), error, now);
    Deployment d = lease.deployment();
    record(Attempt.failed(lease.group().name(), d.id(), d.target(), error, took));
  }

  /** The caller closed the stream before its end. */
  public void closedEarly(Lease lease) {
    Duration took = lease.call().elapsed();
    lease.call().abandoned();
    config.health().release(lease.deployment().id());
    Deployment d = lease.deployment();
    record(Attempt.closedEarly(lease.group().name(), d.id(), d.target(), took));
  }

  /** The attempt ended in something other than an {@link LlmException} (a bug): recorded, not routed. */
  public void unexpected(Lease lease, Throwable error) {
    Duration took = lease.call().elapsed();
    lease.call().abandoned();
    config.health().release(lease.deployment().id());
    Deployment d = lease.deployment();
    record(Attempt.failed(lease.group().name(), d.id(), d.target(), error, took));
  }

  private void record(Attempt attempt) {
    attempts.add(attempt);
    log.add(attempt);
  }

  private static List<String> ids(List<Deployment> deployments) {
    return deployments.stream().map(Deployment::id).toList();
  }
}
