package dev.llmgateway;

import dev.llmgateway.internal.Require;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The answer to a {@link ChatRequest}, the same shape whatever provider produced it.
 *
 * @param id the provider's response id; null when it sent none
 * @param model the model that actually answered, as the provider names it
 * @param provider the provider that answered, e.g. {@code openai}
 * @param message the assistant's message: text, tool calls, thinking
 * @param finishReason why generation stopped
 * @param rawFinishReason the provider's own stop value; null when it sent none
 * @param usage tokens consumed; {@link Usage#ZERO} when unknown
 * @param refusal the model's refusal text when it declined (OpenAI {@code refusal}); null otherwise
 * @param requestId the provider's request id for support tickets; null when it sent none
 * @param attempts the deployments the call was sent to, oldest first, with the outcome and duration of
 *     each: filled in by the gateway from the router's record when the request's model named a model
 *     group; empty otherwise (a provider's own answer, a call the router did not route)
 * @param cost what the call cost, filled in by the gateway from its cost accounting; null when unpriced
 *     (the model is not in the catalog, or no accounting interceptor is installed)
 * @param cache how the answer came from a response cache, filled in by the gateway when a cache
 *     interceptor answered; null when a provider answered
 */
public record ChatResponse(
    @Nullable String id,
    String model,
    String provider,
    Message message,
    FinishReason finishReason,
    @Nullable String rawFinishReason,
    Usage usage,
    @Nullable String refusal,
    @Nullable String requestId,
    List<Attempt> attempts,
    @Nullable Cost cost,
    @Nullable CacheInfo cache) {

  /** The attempts of a response by default: none, an empty list. */
  public static final List<Attempt> DEFAULT_ATTEMPTS = List.of();

  /** The cost of a response by default: null, unpriced. */
  public static final @Nullable Cost DEFAULT_COST = null;

  /** The cache information of a response by default: null, answered by a provider. */
  public static final @Nullable CacheInfo DEFAULT_CACHE = null;

  public ChatResponse {
    Require.nonNull(model, "response.model");
    Require.nonNull(provider, "response.provider");
    Require.nonNull(message, "response.message");
    Require.nonNull(finishReason, "response.finishReason");
    Require.nonNull(usage, "response.usage");
    attempts = Require.copyOf(attempts, "response.attempts");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().id(id).model(model).provider(provider).message(message)
        .finishReason(finishReason).rawFinishReason(rawFinishReason).usage(usage).refusal(refusal)
        .requestId(requestId).attempts(attempts).cost(cost).cache(cache);
  }

  /** This response with {@code attempts} in place of its own. */
  public ChatResponse withAttempts(List<Attempt> attempts) {
    return new ChatResponse(id, model, provider, message, finishReason, rawFinishReason, usage, refusal,
        requestId, attempts, cost, cache);
  }

  /** This response with {@code cost} in place of its own. */
  public ChatResponse withCost(@Nullable Cost cost) {
    return new ChatResponse(id, model, provider, message, finishReason, rawFinishReason, usage, refusal,
        requestId, attempts, cost, cache);
  }

  /** This response with {@code cache} in place of its own. */
  public ChatResponse withCache(@Nullable CacheInfo cache) {
    return new ChatResponse(id, model, provider, message, finishReason, rawFinishReason, usage, refusal,
        requestId, attempts, cost, cache);
  }

  /** Whether the answer came from a response cache rather than from a provider. */
  public boolean cached() {
    return cache != null;
  }

  /** The assistant's text, joined; empty when it answered only with tool calls. */
  public String text() {
    return message.text();
  }

  /** The tool calls the assistant asked for, in order. */
  public List<ContentPart.ToolCall> toolCalls() {
    return message.toolCalls();
  }

  /** Builds a {@link ChatResponse}; used by adapters and by interceptors that synthesize answers. */
  public static final class Builder {
    private @Nullable String id;
    private String model = "";
    private String provider = "";
    private @Nullable Message message;
    private FinishReason finishReason = FinishReason.STOP;
    private @Nullable String rawFinishReason;
    private Usage usage = Usage.ZERO;
    private @Nullable String refusal;
    private @Nullable String requestId;
    private List<Attempt> attempts = DEFAULT_ATTEMPTS;
    private @Nullable Cost cost = DEFAULT_COST;
    private @Nullable CacheInfo cache = DEFAULT_CACHE;

    private Builder() {}

    public Builder id(@Nullable String id) {
      this.id = id;
      return this;
    }

    public Builder model(String model) {
      this.model = model;
      return this;
    }

    public Builder provider(String provider) {
      this.provider = provider;
      return this;
    }

    public Builder message(Message message) {
      this.message = message;
      return this;
    }

    /** Defaults to {@link FinishReason#STOP}. */
    public Builder finishReason(FinishReason finishReason) {
      this.finishReason = finishReason;
      return this;
    }

    public Builder rawFinishReason(@Nullable String rawFinishReason) {
      this.rawFinishReason = rawFinishReason;
      return this;
    }

    /** Defaults to {@link Usage#ZERO}. */
    public Builder usage(Usage usage) {
      this.usage = usage;
      return this;
    }

    public Builder refusal(@Nullable String refusal) {
      this.refusal = refusal;
      return this;
    }

    public Builder requestId(@Nullable String requestId) {
      this.requestId = requestId;
      return this;
    }

    /**
     * The deployments the call was sent to, oldest first. Defaults to {@link #DEFAULT_ATTEMPTS}, none.
     */
    public Builder attempts(List<Attempt> attempts) {
      this.attempts = Require.copyOf(attempts, "response.attempts");
      return this;
    }

    /**
     * What the call cost. Defaults to {@link #DEFAULT_COST}, null: unpriced. Adapters leave it unset; the
     * gateway fills it in.
     */
    public Builder cost(@Nullable Cost cost) {
      this.cost = cost;
      return this;
    }

    /**
     * How the answer came from a response cache. Defaults to {@link #DEFAULT_CACHE}, null: answered by a
     * provider. Adapters leave it unset; the gateway fills it in.
     */
    public Builder cache(@Nullable CacheInfo cache) {
      this.cache = cache;
      return this;
    }

    public ChatResponse build() {
      return new ChatResponse(id, model, provider, Require.nonNull(message, "response.message"),
          finishReason, rawFinishReason, usage, refusal, requestId, attempts, cost, cache);
    }
  }
}
