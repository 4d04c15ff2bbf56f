package dev.llmgateway.ledger;

import dev.llmgateway.CacheInfo;
import dev.llmgateway.CallContext;
import dev.llmgateway.cache.CacheInterceptor;
import dev.llmgateway.cache.CacheStatus;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.cost.CallOutcome;
import dev.llmgateway.cost.CallPricer;
import dev.llmgateway.cost.CostInterceptor;
import dev.llmgateway.cost.PricedCall;
import dev.llmgateway.cost.internal.CallEnds;
import dev.llmgateway.gateway.internal.Check;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every call in a {@link UsageLedger}: once per call, when it ends, whatever the ending. A
 * blocking call that succeeded or failed; a stream that completed, failed part way or was closed early
 * (with the usage of what arrived: the provider's last usage chunk, else the gateway's estimate); a call
 * that never reached the provider (usage zero). Each {@link UsageRecord} carries the request metadata's
 * tenant, user, application and tags, the provider, model and deployment that answered, the usage and
 * its cost, and the outcome. Then every {@link UsageRecordListener} gets the record.
 *
 * <p>It also sets {@link CostInterceptor#COST} and {@link CostInterceptor#PRICED} on the call, as the
 * {@link CostInterceptor} does.
 *
 * <p>Place it outermost among the accounting interceptors (before budgets and rate limits), so that it
 * records refused calls too, and outside the router and the retries, so that it records each call once.
 *
 * <p><b>Streams</b>: wrapped with {@link ChatStream#observeEnd}; chunks pass unchanged and unbuffered.
 */
public final class AccountingInterceptor implements Interceptor {
  /** The clock that stamps records by default: {@link Clock#systemUTC()}. */
  public static final Clock DEFAULT_CLOCK = Clock.systemUTC();

  private static final Logger LOG = LoggerFactory.getLogger(AccountingInterceptor.class);

  private final UsageLedger ledger;
  private final CallPricer pricer;
  private final Clock clock;
  private final List<UsageRecordListener> listeners;

  private AccountingInterceptor(Builder b) {
    this.ledger = b.ledger;
    this.pricer = b.pricer != null ? b.pricer : CallPricer.standard();
    this.clock = b.clock;
    this.listeners = List.copyOf(b.listeners);
  }

  /** A builder writing to {@code ledger}. */
  public static Builder builder(UsageLedger ledger) {
    return new Builder(ledger);
  }

  public UsageLedger ledger() {
    return ledger;
  }

  public CallPricer pricer() {
    return pricer;
  }

  public Clock clock() {
    return clock;
  }

  public List<UsageRecordListener> listeners() {
    return listeners;
  }

  @Override
  public ChatResponse intercept(ChatRequest request, Chain chain) {
    long start = System.nanoTime();
    return CallEnds.blocking(request, chain,
        (context, response, outcome, error) -> record(context, request, response, outcome, start));
  }

  @Override
  public ChatStream interceptStream(ChatRequest request, StreamChain chain) {
    long start = System.nanoTime();
    return CallEnds.streaming(request, chain,
        (context, response, outcome, error) -> record(context, request, response, outcome, start));
  }

  private void record(CallContext context, ChatRequest request, @Nullable ChatResponse response,
      CallOutcome outcome, long startNanos) {
    Duration latency = Duration.ofNanos(Math.max(0, System.nanoTime() - startNanos));
    PricedCall priced = CostInterceptor.attach(pricer, context, request, response);
    RequestMetadata metadata = request.metadata();
    UsageRecord record = new UsageRecord(clock.instant(), context.callId(), metadata.tenant(),
        metadata.user(), metadata.application(), priced.provider(), priced.model(), priced.deployment(),
        metadata.tags(), priced.usage(), priced.cost(), outcome, latency, cacheHit(context));
    ledger.record(record);
    for (UsageRecordListener listener : listeners) {
      try {
        listener.onRecord(record);
      } catch (RuntimeException e) {
        LOG.warn("usage record listener {} failed for call {}", listener, context.callId(), e);
      }
    }
  }

  /** What a response cache inside this interceptor did for the call, when it answered it. */
  private static @Nullable CacheInfo cacheHit(CallContext context) {
    CacheStatus status = context.get(CacheInterceptor.CACHE_STATUS);
    return status == null ? null : status.hit();
  }

  @Override
  public String toString() {
    return "AccountingInterceptor[" + ledger + ", " + listeners.size() + " listeners]";
  }

  /** Builds an {@link AccountingInterceptor}. Not thread-safe. */
  public static final class Builder {
    private final UsageLedger ledger;
    private @Nullable CallPricer pricer;
    private Clock clock = DEFAULT_CLOCK;
    private final List<UsageRecordListener> listeners = new ArrayList<>();

    private Builder(UsageLedger ledger) {
      this.ledger = Check.nonNull(ledger, "ledger");
    }

    /** How calls are priced. Defaults to {@link CallPricer#standard()}. */
    public Builder pricer(CallPricer pricer) {
      this.pricer = Check.nonNull(pricer, "pricer");
      return this;
    }

    /** The clock that stamps records. Defaults to {@link #DEFAULT_CLOCK}. */
    public Builder clock(Clock clock) {
      this.clock = Check.nonNull(clock, "clock");
      return this;
    }

    /** Adds a listener that receives every record. Defaults to none. */
    public Builder listener(UsageRecordListener listener) {
      listeners.add(Check.nonNull(listener, "listener"));
      return this;
    }

    public AccountingInterceptor build() {
      return new AccountingInterceptor(this);
    }
  }
}
