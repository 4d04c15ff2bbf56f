package dev.llmgateway.audit;

import dev.llmgateway.Usage;
import dev.llmgateway.gateway.internal.Check;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One record of the audit log: a call ({@link Kind#CALL}) or one guard decision within it
 * ({@link Kind#GUARD}). It says who asked, when, for which model and deployment, what was decided and
 * why (the guard and its matched rules), what it consumed and cost; it identifies the prompt only by its
 * hash ({@link PromptHash}). It never holds prompt or answer text, keys, headers, or exception messages
 * (only the exception's class).
 *
 * @param kind a call or a guard decision
 * @param timestamp when the call ended, or when the decision was made
 * @param callId the call's id; a call's guard events share it
 * @param streaming whether the call was a stream
 * @param tenant the tenant of the request's metadata; null when none
 * @param user the end user of the request's metadata (pseudonymized when the listener is so configured);
 *     null when none
 * @param application the application of the request's metadata; null when none
 * @param model the model the caller asked for (an alias or {@code provider/model})
 * @param provider the provider that answered; null when none did
 * @param answeredModel the model that answered, as the provider names it; null when none did
 * @param deployment the id of the router's deployment of the last attempt; null without a router
 * @param promptHash {@code sha256:<hex>} (or {@code hmac-sha256:<hex>}) of the canonical prompt; null when
 *     the call's start was not seen
 * @param decision what happened
 * @param guard for a guard event, the guard; for a call, the guard that stopped it, if one did
 * @param stage for a guard event, what it looked at ({@code INPUT}, {@code TOOL_RESULT}, {@code OUTPUT})
 * @param matchedRules the rules that decided (a guard's matches; for a call, those of the guard that
 *     stopped or flagged it)
 * @param categories the categories of what matched
 * @param score a guard's score; null for calls
 * @param usage the tokens the call consumed; null when unknown (failed calls) and for guard events
 * @param cost what the call cost; null when unknown and for guard events
 * @param duration how long the call took; null for guard events
 * @param error the simple class name of the exception a failed call ended with; null otherwise
 */
public record AuditEvent(Kind kind, Instant timestamp, String callId, boolean streaming,
    @Nullable String tenant, @Nullable String user, @Nullable String application, String model,
    @Nullable String provider, @Nullable String answeredModel, @Nullable String deployment,
    @Nullable String promptHash, Decision decision, @Nullable String guard, @Nullable String stage,
    List<String> matchedRules, List<String> categories, @Nullable Double score, @Nullable Usage usage,
    @Nullable AuditCost cost, @Nullable Duration duration, @Nullable String error) {

  /** What an event records. */
  public enum Kind {
    /** A call, at its end. */
    CALL,
    /** One decision of a guard (moderation, prompt-injection, output validation...). */
    GUARD
  }

  /** What happened: the first six for calls, the last three for guard decisions. */
  public enum Decision {
    /** The call returned an answer (a stream ran to its end). */
    COMPLETED,
    /** A guard refused the request before it was sent. */
    REFUSED,
    /** The answer was stopped: by the gateway's output moderation or the provider's content filter. */
    FILTERED,
    /** The answer did not match the requested JSON schema, even after repair. */
    INVALID,
    /** The caller cancelled the call or closed the stream before its end. */
    CANCELLED,
    /** The call failed otherwise (provider error, timeout, budget...). */
    FAILED,
    /** A guard let the call through with nothing to report. */
    ALLOWED,
    /** A guard let the call through but reported matches. */
    FLAGGED,
    /** A guard stopped the call. */
    BLOCKED
  }

  public AuditEvent {
    Check.nonNull(kind, "auditEvent.kind");
    Check.nonNull(timestamp, "auditEvent.timestamp");
    Check.nonBlank(callId, "auditEvent.callId");
    Check.nonNull(model, "auditEvent.model");
    Check.nonNull(decision, "auditEvent.decision");
    matchedRules = Check.copyOf(matchedRules, "auditEvent.matchedRules");
    categories = Check.copyOf(categories, "auditEvent.categories");
  }

  public static Builder builder(Kind kind, String callId) {
    return new Builder(kind, callId);
  }

  /** Builds an {@link AuditEvent}; for sinks' tests and hosts that write their own events. */
  public static final class Builder {
    private final Kind kind;
    private final String callId;
    private Instant timestamp = Instant.EPOCH;
    private boolean streaming;
    private @Nullable String tenant;
    private @Nullable String user;
    private @Nullable String application;
    private String model = "";
    private @Nullable String provider;
    private @Nullable String answeredModel;
    private @Nullable String deployment;
    private @Nullable String promptHash;
    private Decision decision = Decision.COMPLETED;
    private @Nullable String guard;
    private @Nullable String stage;
    private final List<String> matchedRules = new ArrayList<>();
    private final List<String> categories = new ArrayList<>();
    private @Nullable Double score;
    private @Nullable Usage usage;
    private @Nullable AuditCost cost;
    private @Nullable Duration duration;
    private @Nullable String error;

    private Builder(Kind kind, String callId) {
      this.kind = kind;
      this.callId = callId;
    }

    /** Defaults to {@link Instant#EPOCH}. */
    public Builder timestamp(Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    /** Defaults to false. */
    public Builder streaming(boolean streaming) {
      this.streaming = streaming;
      return this;
    }

    public Builder tenant(@Nullable String tenant) {
      this.tenant = tenant;
      return this;
    }

    public Builder user(@Nullable String user) {
      this.user = user;
      return this;
    }

    public Builder application(@Nullable String application) {
      this.application = application;
      return this;
    }

    /** Defaults to the empty string. */
    public Builder model(String model) {
      this.model = model;
      return this;
    }

    public Builder provider(@Nullable String provider) {
      this.provider = provider;
      return this;
    }

    public Builder answeredModel(@Nullable String answeredModel) {
      this.answeredModel = answeredModel;
      return this;
    }

    public Builder deployment(@Nullable String deployment) {
      this.deployment = deployment;
      return this;
    }

    public Builder promptHash(@Nullable String promptHash) {
      this.promptHash = promptHash;
      return this;
    }

    /** Defaults to {@link Decision#COMPLETED}. */
    public Builder decision(Decision decision) {
      this.decision = decision;
      return this;
    }

    public Builder guard(@Nullable String guard) {
      this.guard = guard;
      return this;
    }

    public Builder stage(@Nullable String stage) {
      this.stage = stage;
      return this;
    }

    public Builder matchedRules(List<String> rules) {
      matchedRules.clear();
      matchedRules.addAll(rules);
      return this;
    }

    public Builder categories(List<String> values) {
      categories.clear();
      categories.addAll(values);
      return this;
    }

    public Builder score(@Nullable Double score) {
      this.score = score;
      return this;
    }

    public Builder usage(@Nullable Usage usage) {
      this.usage = usage;
      return this;
    }

    public Builder cost(@Nullable AuditCost cost) {
      this.cost = cost;
      return this;
    }

    public Builder duration(@Nullable Duration duration) {
      this.duration = duration;
      return this;
    }

    public Builder error(@Nullable String error) {
      this.error = error;
      return this;
    }

    public AuditEvent build() {
      return new AuditEvent(kind, timestamp, callId, streaming, tenant, user, application, model,
          provider, answeredModel, deployment, promptHash, decision, guard, stage, matchedRules,
          categories, score, usage, cost, duration, error);
    }
  }
}
