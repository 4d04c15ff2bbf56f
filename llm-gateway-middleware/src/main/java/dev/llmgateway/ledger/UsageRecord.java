package dev.llmgateway.ledger;

import dev.llmgateway.CacheInfo;
import dev.llmgateway.Usage;
import dev.llmgateway.cost.CallOutcome;
import dev.llmgateway.Cost;
import dev.llmgateway.gateway.internal.Check;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One call in the {@link UsageLedger}.
 *
 * @param time when the call ended
 * @param callId the call's id ({@link dev.llmgateway.CallContext#callId()})
 * @param tenant the request metadata's tenant; null for none
 * @param user the request metadata's user; null for none
 * @param application the request metadata's application; null for none
 * @param provider the provider that answered; empty when the call failed before one was chosen
 * @param model the model that answered (or was asked for, when none did)
 * @param deployment the router's deployment id; null when the call was not routed
 * @param tags the request metadata's tags
 * @param usage the tokens billed: the provider's report, or the gateway's estimate (then
 *     {@link Usage#estimated()}); partial usage for a stream that failed or was closed early
 * @param cost what the usage cost; null when the model has no known price
 * @param outcome how the call ended
 * @param latency how long the call took, as the accounting interceptor saw it: from the request reaching
 *     it to the answer (for a stream, its last chunk), the failure or the early close; with the tags of
 *     an experiment this is what compares variants on speed as well as cost
 * @param cache for an answer from a response cache, where it came from and the tokens and money it
 *     saved (the record's own usage and cost are then zero: nothing was spent); null otherwise
 */
public record UsageRecord(Instant time, String callId, @Nullable String tenant, @Nullable String user,
    @Nullable String application, String provider, String model, @Nullable String deployment,
    Map<String, String> tags, Usage usage, @Nullable Cost cost, CallOutcome outcome, Duration latency,
    @Nullable CacheInfo cache) {

  public UsageRecord {
    Check.nonNull(time, "usageRecord.time");
    Check.nonNull(callId, "usageRecord.callId");
    Check.nonNull(provider, "usageRecord.provider");
    Check.nonNull(model, "usageRecord.model");
    tags = Check.copyOf(tags, "usageRecord.tags");
    Check.nonNull(usage, "usageRecord.usage");
    Check.nonNull(outcome, "usageRecord.outcome");
    Check.nonNull(latency, "usageRecord.latency");
    Check.that(!latency.isNegative(), "usageRecord.latency must not be negative, was " + latency);
  }

  /** Whether the usage is the gateway's estimate because the provider reported none. */
  public boolean estimated() {
    return usage.estimated();
  }

  /** This record's value for {@code dimension}; null when it has none (no tenant, no such tag...). */
  public @Nullable String valueOf(Dimension dimension) {
    return switch (dimension.kind()) {
      case TENANT -> tenant;
      case USER -> user;
      case APPLICATION -> application;
      case PROVIDER -> provider.isEmpty() ? null : provider;
      case MODEL -> model;
      case DEPLOYMENT -> deployment;
      case OUTCOME -> outcome.name();
      case TAG -> tags.get(dimension.tagKey());
    };
  }
}
