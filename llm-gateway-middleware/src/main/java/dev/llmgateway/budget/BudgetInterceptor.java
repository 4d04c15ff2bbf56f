package dev.llmgateway.budget;

import dev.llmgateway.AttributeKey;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import dev.llmgateway.budget.BudgetStore.BudgetUsage;
import dev.llmgateway.budget.BudgetStore.Reservation;
import dev.llmgateway.budget.BudgetStore.ReserveResult;
import dev.llmgateway.cost.CallEstimate;
import dev.llmgateway.cost.CallPricer;
import dev.llmgateway.Cost;
import dev.llmgateway.cost.CostInterceptor;
import dev.llmgateway.cost.PricedCall;
import dev.llmgateway.cost.internal.CallEnds;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmConfigurationException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces {@link Budget}s: before a call, reserves its estimated cost in every budget that counts it;
 * refuses it with a {@link BudgetLimitException} when a hard budget cannot cover the estimate; when the
 * call ends, settles each reservation to the actual cost and fires the {@link BudgetAlert}s whose
 * thresholds the spending crossed.
 *
 * <p><b>The estimate</b> comes from the {@link CallPricer}: the token counter's count of the request plus
 * its {@code maxTokens} (or the pricer's assumed output), at the prices of the model the request names
 * (tell the pricer what aliases and router groups are priced as, with {@link CallPricer.Builder#alias}).
 * A model without a known price reserves nothing in money budgets but is still refused once a budget is
 * exhausted; its actual cost is then whatever the pricer finds after the call (zero if none).
 *
 * <p><b>Settling never leaks</b>: the reservation is settled exactly once, whether the call succeeds,
 * fails, is cancelled, or, for a stream, completes, fails part way or is closed early (with the partial
 * usage: see {@link CallPricer}). A reservation whose call never ends (a stream the caller abandons
 * without closing, an instance that dies) expires after {@link Builder#reservationTtl}. Overspending is
 * bounded: a call is admitted only if its estimate fits next to what is spent and reserved, so a budget
 * is exceeded only by the amount the calls in flight cost more than they reserved.
 *
 * <p>Soft budgets ({@link Budget#hard()} false) never refuse and reserve nothing; their spending is added
 * when each call ends, and they alert like hard ones.
 *
 * <p>Place it after the {@link dev.llmgateway.ledger.AccountingInterceptor} (so refused calls are
 * recorded) and before the cache and the router, so that it sees each call once. It sets
 * {@link #ESTIMATE} before the call and, when it ends, {@link CostInterceptor#COST} and
 * {@link CostInterceptor#PRICED}.
 *
 * <p><b>Streams</b>: reserved before the stream opens, settled by {@link ChatStream#observeEnd}; chunks
 * pass unchanged.
 */
public final class BudgetInterceptor implements Interceptor {
  /** The call's estimate, set before it is sent. */
  public static final AttributeKey<CallEstimate> ESTIMATE =
      AttributeKey.of("budget.estimate", CallEstimate.class);

  /** The clock of periods and expiries by default: {@link Clock#systemUTC()}. */
  public static final Clock DEFAULT_CLOCK = Clock.systemUTC();
  /** How long an unsettled reservation counts by default: 30 minutes. */
  public static final Duration DEFAULT_RESERVATION_TTL = Duration.ofMinutes(30);
  /** How long a period's counters are kept after it ends, by default: 7 days. */
  public static final Duration DEFAULT_PERIOD_RETENTION = Duration.ofDays(7);

  private static final Logger LOG = LoggerFactory.getLogger(BudgetInterceptor.class);

  private final List<Budget> budgets;
  private final BudgetStore store;
  private final CallPricer pricer;
  private final Clock clock;
  private final Duration reservationTtl;
  private final Duration periodRetention;
  private final List<BudgetAlertListener> listeners;

  private BudgetInterceptor(Builder b) {
    this.budgets = List.copyOf(b.budgets);
    Set<String> ids = new HashSet<>();
    for (Budget budget : budgets) {
      Check.that(ids.add(budget.id()), "two budgets are named '" + budget.id() + "'");
    }
    this.clock = b.clock;
    this.store = b.store != null ? b.store : InMemoryBudgetStore.create(b.clock);
    this.pricer = b.pricer != null ? b.pricer : CallPricer.standard();
    this.reservationTtl = b.reservationTtl;
    this.periodRetention = b.periodRetention;
    this.listeners = List.copyOf(b.listeners);
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<Budget> budgets() {
    return budgets;
  }

  public BudgetStore store() {
    return store;
  }

  public CallPricer pricer() {
    return pricer;
  }

  public Clock clock() {
    return clock;
  }

  public Duration reservationTtl() {
    return reservationTtl;
  }

  public Duration periodRetention() {
    return periodRetention;
  }

  public List<BudgetAlertListener> listeners() {
    return listeners;
  }

  /**
   * Where {@code budget} stands for {@code subject} (a tenant, user, application or tag value; ignored
   * for a global budget) in the current period.
   */
  public BudgetStatus status(Budget budget, @Nullable String subject) {
    String who = budget.scope() == BudgetScope.GLOBAL ? "*" : Check.nonNull(subject, "subject");
    String period = budget.period().key(clock.instant(), budget.zone());
    BudgetUsage usage = store.usage(budget.storeKey(who, period));
    return new BudgetStatus(budget, who, period, budget.limit(), budget.fromUnits(usage.spent()),
        budget.fromUnits(usage.reserved()));
  }

  /** One budget counting one call: where, and the reservation when the budget is hard. */
  private record Held(Budget budget, String subject, String period, String key,
      @Nullable Reservation reservation, @Nullable Instant keyExpiresAt) {}

  @Override
  public ChatResponse intercept(ChatRequest request, Chain chain) {
    List<Held> held = reserve(request, chain.context());
    if (held.isEmpty()) {
      return chain.proceed(request);
    }
    return CallEnds.blocking(request, chain,
        (context, response, outcome, error) -> settle(held, context, request, response));
  }

  @Override
  public ChatStream interceptStream(ChatRequest request, StreamChain chain) {
    List<Held> held = reserve(request, chain.context());
    if (held.isEmpty()) {
      return chain.proceed(request);
    }
    return CallEnds.streaming(request, chain,
        (context, response, outcome, error) -> settle(held, context, request, response));
  }

  private List<Held> reserve(ChatRequest request, CallContext context) {
    List<Held> held = new ArrayList<>();
    CallEstimate estimate = null;
    Instant now = clock.instant();
    for (Budget budget : budgets) {
      String subject = budget.subjectOf(request.metadata());
      if (subject == null) {
        continue;
      }
      String period = budget.period().key(now, budget.zone());
      String key = budget.storeKey(subject, period);
      Instant end = budget.period().end(now, budget.zone());
      Instant keyExpiresAt = end == null ? null : end.plus(periodRetention);
      if (!budget.hard()) {
        held.add(new Held(budget, subject, period, key, null, keyExpiresAt));
        continue;
      }
      if (estimate == null) {
        estimate = pricer.estimate(request, context);
        context.put(ESTIMATE, estimate);
      }
      long amount;
      ReserveResult result;
      try {
        amount = estimatedUnits(budget, estimate);
        result = store.tryReserve(key, reservationId(context, budget), amount,
            budget.limitUnits(), now.plus(reservationTtl), keyExpiresAt);
      } catch (RuntimeException e) {
        release(held);
        throw e;
      }
      if (result instanceof ReserveResult.Reserved reserved) {
        held.add(new Held(budget, subject, period, key, reserved.reservation(), keyExpiresAt));
      } else {
        release(held);
        BudgetUsage usage = ((ReserveResult.Denied) result).usage();
        long left = Math.max(0, budget.limitUnits() - usage.spent() - usage.reserved());
        Instant periodEnd = budget.period().end(now, budget.zone());
        ErrorContext where = ErrorContext.EMPTY.withRetryable(false)
            .withRetryAfter(periodEnd == null ? null : Duration.between(now, periodEnd));
        throw new BudgetLimitException(budget, subject, period, budget.fromUnits(left),
            budget.fromUnits(amount), where);
      }
    }
    return held;
  }

  /** Unique per reservation, even when one call passes this interceptor twice. */
  private static String reservationId(CallContext context, Budget budget) {
    return context.callId() + "/" + budget.id() + "/"
        + Long.toHexString(ThreadLocalRandom.current().nextLong());
  }

  private long estimatedUnits(Budget budget, CallEstimate estimate) {
    return switch (budget.unit()) {
      case TOKENS -> estimate.totalTokens();
      case MONEY -> {
        Cost cost = estimate.cost();
        if (cost == null) {
          yield 0;
        }
        if (!cost.currency().equals(budget.currency())) {
          throw new LlmConfigurationException("budget '" + budget.id() + "' counts " + budget.currency()
              + " but model " + estimate.provider() + "/" + estimate.model() + " is priced in "
              + cost.currency());
        }
        yield budget.toUnits(cost.total());
      }
    };
  }

  private void release(List<Held> held) {
    for (Held h : held) {
      if (h.reservation() != null) {
        try {
          store.release(h.reservation(), h.keyExpiresAt());
        } catch (RuntimeException e) {
          LOG.error("could not release the reservation of budget {}; it expires on its own at {}",
              h.budget().id(), h.reservation().expiresAt(), e);
        }
      }
    }
  }

  private void settle(List<Held> held, CallContext context, ChatRequest request,
      @Nullable ChatResponse response) {
    PricedCall priced = CostInterceptor.attach(pricer, context, request, response);
    for (Held h : held) {
      try {
        long actual = actualUnits(h, priced);
        BudgetUsage usage = h.reservation() != null
            ? store.settle(h.reservation(), actual, h.keyExpiresAt())
            : store.add(h.key(), actual, h.keyExpiresAt());
        alert(h, usage);
      } catch (RuntimeException e) {
        LOG.error("could not settle budget {} for call {}; an unsettled reservation expires on its own",
            h.budget().id(), context.callId(), e);
      }
    }
  }

  private long actualUnits(Held h, PricedCall priced) {
    Budget budget = h.budget();
    if (budget.unit() == BudgetUnit.TOKENS) {
      return priced.usage().totalTokens();
    }
    Cost cost = priced.cost();
    if (cost == null) {
      return 0;
    }
    if (!cost.currency().equals(budget.currency())) {
      LOG.warn("budget {} counts {} but call priced in {}; counting its reservation instead",
          budget.id(), budget.currency(), cost.currency());
      return h.reservation() == null ? 0 : h.reservation().amount();
    }
    return budget.toUnits(cost.total());
  }

  private void alert(Held h, BudgetUsage usage) {
    Budget budget = h.budget();
    long limit = budget.limitUnits();
    for (int percent : budget.alertPercents()) {
      // spent / limit >= percent / 100, in integers (both sides stay far below Long.MAX_VALUE)
      if (usage.spent() * 100 < (long) percent * limit) {
        break;
      }
      if (store.markAlert(h.key(), percent, h.keyExpiresAt())) {
        BudgetAlert alert = new BudgetAlert(budget, h.subject(), h.period(), percent,
            budget.fromUnits(usage.spent()), budget.limit(), clock.instant());
        for (BudgetAlertListener listener : listeners) {
          try {
            listener.onAlert(alert);
          } catch (RuntimeException e) {
            LOG.warn("budget alert listener {} failed", listener, e);
          }
        }
      }
    }
  }

  @Override
  public String toString() {
    return "BudgetInterceptor[" + budgets.size() + " budgets, " + store + "]";
  }

  /** Builds a {@link BudgetInterceptor}. Not thread-safe. */
  public static final class Builder {
    private final List<Budget> budgets = new ArrayList<>();
    private @Nullable BudgetStore store;
    private @Nullable CallPricer pricer;
    private Clock clock = DEFAULT_CLOCK;
    private Duration reservationTtl = DEFAULT_RESERVATION_TTL;
    private Duration periodRetention = DEFAULT_PERIOD_RETENTION;
    private final List<BudgetAlertListener> listeners = new ArrayList<>();

    private Builder() {}

    /** Adds a budget; a call counts against every budget whose scope matches it. Defaults to none. */
    public Builder budget(Budget budget) {
      budgets.add(Check.nonNull(budget, "budget"));
      return this;
    }

    /**
     * Where spending is counted. Defaults to an {@link InMemoryBudgetStore} on this builder's clock: one
     * JVM only.
     */
    public Builder store(BudgetStore store) {
      this.store = Check.nonNull(store, "store");
      return this;
    }

    /** How calls are estimated and priced. Defaults to {@link CallPricer#standard()}. */
    public Builder pricer(CallPricer pricer) {
      this.pricer = Check.nonNull(pricer, "pricer");
      return this;
    }

    /** The clock of periods, reservations and alerts. Defaults to {@link #DEFAULT_CLOCK}. */
    public Builder clock(Clock clock) {
      this.clock = Check.nonNull(clock, "clock");
      return this;
    }

    /**
     * How long an unsettled reservation counts before it expires; longer than your longest call.
     * Defaults to {@link #DEFAULT_RESERVATION_TTL} (30 minutes).
     */
    public Builder reservationTtl(Duration ttl) {
      Check.that(ttl != null && ttl.compareTo(Duration.ZERO) > 0, "reservationTtl must be positive");
      this.reservationTtl = ttl;
      return this;
    }

    /**
     * How long a period's counters are kept after it ends, for {@link #status} queries and late
     * settlements. Defaults to {@link #DEFAULT_PERIOD_RETENTION} (7 days).
     */
    public Builder periodRetention(Duration retention) {
      Check.that(retention != null && !retention.isNegative(), "periodRetention must not be negative");
      this.periodRetention = retention;
      return this;
    }

    /** Adds a listener for threshold alerts. Defaults to none. */
    public Builder alertListener(BudgetAlertListener listener) {
      listeners.add(Check.nonNull(listener, "listener"));
      return this;
    }

    public BudgetInterceptor build() {
      return new BudgetInterceptor(this);
    }
  }
}
