package dev.llmgateway;

import dev.llmgateway.internal.Require;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A chat call, independent of any provider. Immutable; build one with {@link #builder()} and derive
 * variants with {@link #toBuilder()}.
 *
 * <p>Optional tuning parameters are nullable and mean "the provider's default" when null. The request is
 * validated when built: a blank model, no messages, a non-positive {@code maxTokens} or an out-of-range
 * sampling parameter fails with an {@link dev.llmgateway.error.InvalidRequestException} naming the field.
 *
 * @param model a model alias configured on the gateway, or {@code provider/model} such as
 *     {@code openai/gpt-4o-mini}
 * @param messages the conversation, oldest first; never empty
 * @param tools the functions the model may call; empty for none
 * @param toolChoice whether and which tool must be called; null for the provider default
 * @param parallelToolCalls whether several tool calls may come in one turn; null for the provider default
 * @param temperature sampling temperature, at least 0; null for the provider default
 * @param topP nucleus sampling mass in (0, 1]; null for the provider default
 * @param maxTokens the most output tokens to generate, at least 1; null for the provider default
 * @param stop sequences that end generation; empty for none
 * @param seed a seed for reproducible sampling where the provider supports it; null for none
 * @param frequencyPenalty OpenAI-style frequency penalty; null for the provider default
 * @param presencePenalty OpenAI-style presence penalty; null for the provider default
 * @param responseFormat text, JSON or JSON schema output; null for text
 * @param metadata who the call is for; never sent to the provider except {@code user}
 * @param providerOptions extra top-level fields written verbatim into the provider's request body (JSON
 *     values: strings, numbers, booleans, lists, maps); empty for none
 */
public record ChatRequest(
    String model,
    List<Message> messages,
    List<ToolDefinition> tools,
    @Nullable ToolChoice toolChoice,
    @Nullable Boolean parallelToolCalls,
    @Nullable Double temperature,
    @Nullable Double topP,
    @Nullable Integer maxTokens,
    List<String> stop,
    @Nullable Long seed,
    @Nullable Double frequencyPenalty,
    @Nullable Double presencePenalty,
    @Nullable ResponseFormat responseFormat,
    RequestMetadata metadata,
    Map<String, Object> providerOptions) {

  public ChatRequest {
    Require.nonBlank(model, "model");
    messages = Require.copyOf(messages, "messages");
    Require.check(!messages.isEmpty(), "messages must not be empty");
    tools = Require.copyOf(tools, "tools");
    stop = Require.copyOf(stop, "stop");
    Require.nonNull(metadata, "metadata");
    providerOptions = Require.copyOf(providerOptions, "providerOptions");
    Require.check(maxTokens == null || maxTokens > 0, "maxTokens must be at least 1, was " + maxTokens);
    Require.check(temperature == null || (temperature >= 0 && Double.isFinite(temperature)),
        "temperature must be a finite number >= 0, was " + temperature);
    Require.check(topP == null || (topP > 0 && topP <= 1), "topP must be in (0, 1], was " + topP);
    if (toolChoice != null && toolChoice.mode() == ToolChoice.Mode.TOOL) {
      String wanted = toolChoice.toolName();
      Require.check(tools.stream().anyMatch(t -> t.name().equals(wanted)),
          "toolChoice names tool '" + wanted + "', which is not among the request's tools");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this request's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.model = model;
    b.messages.addAll(messages);
    b.tools.addAll(tools);
    b.toolChoice = toolChoice;
    b.parallelToolCalls = parallelToolCalls;
    b.temperature = temperature;
    b.topP = topP;
    b.maxTokens = maxTokens;
    b.stop.addAll(stop);
    b.seed = seed;
    b.frequencyPenalty = frequencyPenalty;
    b.presencePenalty = presencePenalty;
    b.responseFormat = responseFormat;
    b.metadata = metadata;
    b.providerOptions.putAll(providerOptions);
    return b;
  }

  /** This request with another model, e.g. after an alias was resolved. */
  public ChatRequest withModel(String newModel) {
    return toBuilder().model(newModel).build();
  }

  /** Builds a {@link ChatRequest}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String model;
    private final List<Message> messages = new ArrayList<>();
    private final List<ToolDefinition> tools = new ArrayList<>();
    private @Nullable ToolChoice toolChoice;
    private @Nullable Boolean parallelToolCalls;
    private @Nullable Double temperature;
    private @Nullable Double topP;
    private @Nullable Integer maxTokens;
    private final List<String> stop = new ArrayList<>();
    private @Nullable Long seed;
    private @Nullable Double frequencyPenalty;
    private @Nullable Double presencePenalty;
    private @Nullable ResponseFormat responseFormat;
    private RequestMetadata metadata = RequestMetadata.EMPTY;
    private final Map<String, Object> providerOptions = new LinkedHashMap<>();

    private Builder() {}

    /** An alias or {@code provider/model}. Required. */
    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /** Replaces the conversation. */
    public Builder messages(List<Message> messages) {
      this.messages.clear();
      this.messages.addAll(Require.copyOf(messages, "messages"));
      return this;
    }

    public Builder message(Message message) {
      messages.add(Require.nonNull(message, "message"));
      return this;
    }

    public Builder system(String text) {
      return message(Message.system(text));
    }

    public Builder user(String text) {
      return message(Message.user(text));
    }

    public Builder assistant(String text) {
      return message(Message.assistant(text));
    }

    /** Replaces the tools. */
    public Builder tools(List<ToolDefinition> tools) {
      this.tools.clear();
      this.tools.addAll(Require.copyOf(tools, "tools"));
      return this;
    }

    public Builder tool(ToolDefinition tool) {
      tools.add(Require.nonNull(tool, "tool"));
      return this;
    }

    /** Defaults to null: the provider decides (usually {@link ToolChoice#auto()}). */
    public Builder toolChoice(@Nullable ToolChoice toolChoice) {
      this.toolChoice = toolChoice;
      return this;
    }

    /** Defaults to null: the provider's default. */
    public Builder parallelToolCalls(@Nullable Boolean parallelToolCalls) {
      this.parallelToolCalls = parallelToolCalls;
      return this;
    }

    /** Defaults to null: the provider's default. */
    public Builder temperature(@Nullable Double temperature) {
      this.temperature = temperature;
      return this;
    }

    /** Defaults to null: the provider's default. */
    public Builder topP(@Nullable Double topP) {
      this.topP = topP;
      return this;
    }

    /** Defaults to null: the provider's default (Anthropic requires one; its adapter supplies it). */
    public Builder maxTokens(@Nullable Integer maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /** Replaces the stop sequences. Defaults to none. */
    public Builder stop(List<String> stop) {
      this.stop.clear();
      this.stop.addAll(Require.copyOf(stop, "stop"));
      return this;
    }

    /** Defaults to null: no seed. */
    public Builder seed(@Nullable Long seed) {
      this.seed = seed;
      return this;
    }

    /** Defaults to null: the provider's default. */
    public Builder frequencyPenalty(@Nullable Double frequencyPenalty) {
      this.frequencyPenalty = frequencyPenalty;
      return this;
    }

    /** Defaults to null: the provider's default. */
    public Builder presencePenalty(@Nullable Double presencePenalty) {
      this.presencePenalty = presencePenalty;
      return this;
    }

    /** Defaults to null: free text. */
    public Builder responseFormat(@Nullable ResponseFormat responseFormat) {
      this.responseFormat = responseFormat;
      return this;
    }

    /** Defaults to {@link RequestMetadata#EMPTY}. */
    public Builder metadata(RequestMetadata metadata) {
      this.metadata = Require.nonNull(metadata, "metadata");
      return this;
    }

    /** Sets one extra top-level field of the provider's request body. */
    public Builder providerOption(String name, Object value) {
      providerOptions.put(Require.nonBlank(name, "providerOption name"),
          Require.nonNull(value, "providerOption '" + name + "'"));
      return this;
    }

    /** Validates and builds the request. */
    public ChatRequest build() {
      return new ChatRequest(Require.nonBlank(model, "model"), messages, tools, toolChoice,
          parallelToolCalls, temperature, topP, maxTokens, stop, seed, frequencyPenalty,
          presencePenalty, responseFormat, metadata, providerOptions);
    }
  }
}
