package dev.llmgateway.cost;

import dev.llmgateway.AttributeKey;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Cost;
import dev.llmgateway.Interceptor;
import dev.llmgateway.cost.internal.CallEnds;
import dev.llmgateway.gateway.internal.Check;
import org.jspecify.annotations.Nullable;

/**
 * Attaches what each call cost to the call: after a blocking call, and at the end of a stream (completed,
 * failed or closed early, with the partial usage), it prices the call with its {@link CallPricer} and
 * puts the result in the call's {@link CallContext}: {@link #COST} (absent when the model has no known
 * price) and {@link #PRICED} (always: provider, model, deployment, the usage billed and the cost).
 *
 * <p>{@link ChatEventListener}s read them in {@code onCallEnd} and {@code onCallFailed}, which the
 * gateway calls after every interceptor has finished, e.g.
 * {@code Cost cost = context.get(CostInterceptor.COST);}. When the provider reported no usage and the
 * gateway estimated it, the estimate is also reported through
 * {@link ChatEventListener#onUsage(CallContext, dev.llmgateway.Usage)}, marked estimated.
 *
 * <p>Place it anywhere; outside the router and the retries, it sees each call once, as the caller does.
 * The {@link dev.llmgateway.ledger.AccountingInterceptor} and the
 * {@link dev.llmgateway.budget.BudgetInterceptor} set the same attributes, so this one is needed only
 * when neither is installed.
 *
 * <p><b>Streams</b>: wrapped with {@link ChatStream#observeEnd}; chunks pass unchanged and unbuffered.
 */
public final class CostInterceptor implements Interceptor {
  /** The call's cost; absent when the model's price is unknown. */
  public static final AttributeKey<Cost> COST = AttributeKey.of("cost", Cost.class);
  /** The call as priced: who answered, the usage billed (possibly estimated) and the cost. */
  public static final AttributeKey<PricedCall> PRICED = AttributeKey.of("cost.priced", PricedCall.class);

  /** The response last priced for the call, so that several accounting interceptors price it once. */
  private record Priced(@Nullable ChatResponse response, PricedCall call) {}

  private static final AttributeKey<Priced> LAST = AttributeKey.of("cost.last", Priced.class);

  private final CallPricer pricer;

  private CostInterceptor(CallPricer pricer) {
    this.pricer = Check.nonNull(pricer, "pricer");
  }

  /** An interceptor pricing with {@link CallPricer#standard()}. */
  public static CostInterceptor create() {
    return new CostInterceptor(CallPricer.standard());
  }

  /** An interceptor pricing with {@code pricer}. */
  public static CostInterceptor of(CallPricer pricer) {
    return new CostInterceptor(pricer);
  }

  public CallPricer pricer() {
    return pricer;
  }

  @Override
  public ChatResponse intercept(ChatRequest request, Chain chain) {
    return CallEnds.blocking(request, chain, (context, response, outcome, error) ->
        attach(pricer, context, request, response));
  }

  @Override
  public ChatStream interceptStream(ChatRequest request, StreamChain chain) {
    return CallEnds.streaming(request, chain, (context, response, outcome, error) ->
        attach(pricer, context, request, response));
  }

  /**
   * Prices the call and sets {@link #PRICED} and {@link #COST} on its context; reports an estimated
   * usage to the listeners. Returns the priced call. When another accounting interceptor already priced
   * an equal response of this call, its result is reused, so that every interceptor reports the same
   * cost and an estimate is reported once.
   */
  public static PricedCall attach(CallPricer pricer, CallContext context, ChatRequest request,
      @Nullable ChatResponse response) {
    Priced last = context.get(LAST);
    if (last != null && response != null && response.equals(last.response())) {
      return last.call();
    }
    PricedCall priced = pricer.price(context, request, response);
    context.put(LAST, new Priced(response, priced));
    context.put(PRICED, priced);
    if (priced.cost() != null) {
      context.put(COST, priced.cost());
    }
    if (priced.usage().estimated()) {
      context.events().onUsage(context, priced.usage());
    }
    return priced;
  }

  @Override
  public String toString() {
    return "CostInterceptor[" + pricer + "]";
  }
}
