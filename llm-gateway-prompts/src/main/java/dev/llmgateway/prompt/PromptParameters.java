package dev.llmgateway.prompt;

import dev.llmgateway.ChatRequest;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The sampling parameters a prompt version was tuned with. They belong to the version, not to the
 * caller: a prompt tested at temperature 0.2 changes meaning at 1.0, so they are part of its content
 * hash. Every parameter is nullable and means "the provider's default" when null.
 *
 * @param temperature sampling temperature, at least 0; null for the provider default
 * @param topP nucleus sampling mass in (0, 1]; null for the provider default
 * @param maxOutputTokens the most output tokens to generate, at least 1; null for the provider default
 * @param seed a seed for reproducible sampling where the provider supports it; null for none
 * @param frequencyPenalty OpenAI-style frequency penalty in [-2, 2]; null for the provider default
 * @param presencePenalty OpenAI-style presence penalty in [-2, 2]; null for the provider default
 * @param stop sequences that end generation; empty for none
 */
public record PromptParameters(@Nullable Double temperature, @Nullable Double topP,
    @Nullable Integer maxOutputTokens, @Nullable Long seed, @Nullable Double frequencyPenalty,
    @Nullable Double presencePenalty, List<String> stop) {

  /** No parameters: every one is the provider's default. */
  public static final PromptParameters NONE =
      new PromptParameters(null, null, null, null, null, null, List.of());

  public PromptParameters {
    check(temperature == null || (temperature >= 0 && Double.isFinite(temperature)),
        "temperature", "must be a finite number >= 0, was " + temperature);
    check(topP == null || (topP > 0 && topP <= 1), "topP", "must be in (0, 1], was " + topP);
    check(maxOutputTokens == null || maxOutputTokens >= 1, "maxOutputTokens",
        "must be at least 1, was " + maxOutputTokens);
    check(frequencyPenalty == null || (frequencyPenalty >= -2 && frequencyPenalty <= 2),
        "frequencyPenalty", "must be in [-2, 2], was " + frequencyPenalty);
    check(presencePenalty == null || (presencePenalty >= -2 && presencePenalty <= 2),
        "presencePenalty", "must be in [-2, 2], was " + presencePenalty);
    check(stop != null, "stop", "must not be null");
    for (int i = 0; i < stop.size(); i++) {
      String s = stop.get(i);
      check(s != null && !s.isEmpty(), "stop[" + i + "]", "must not be null or empty");
    }
    stop = List.copyOf(stop);
  }

  /** The four most used parameters; no penalties and no stop sequences. */
  public PromptParameters(@Nullable Double temperature, @Nullable Double topP,
      @Nullable Integer maxOutputTokens, @Nullable Long seed) {
    this(temperature, topP, maxOutputTokens, seed, null, null, List.of());
  }

  private static void check(boolean condition, String field, String message) {
    if (!condition) {
      throw new PromptDefinitionException(null, "parameters." + field, message);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these parameters. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.temperature = temperature;
    b.topP = topP;
    b.maxOutputTokens = maxOutputTokens;
    b.seed = seed;
    b.frequencyPenalty = frequencyPenalty;
    b.presencePenalty = presencePenalty;
    b.stop.addAll(stop);
    return b;
  }

  /** Sets these parameters on {@code request}; null ones leave the builder's value as it is. */
  public ChatRequest.Builder applyTo(ChatRequest.Builder request) {
    if (temperature != null) {
      request.temperature(temperature);
    }
    if (topP != null) {
      request.topP(topP);
    }
    if (maxOutputTokens != null) {
      request.maxTokens(maxOutputTokens);
    }
    if (seed != null) {
      request.seed(seed);
    }
    if (frequencyPenalty != null) {
      request.frequencyPenalty(frequencyPenalty);
    }
    if (presencePenalty != null) {
      request.presencePenalty(presencePenalty);
    }
    if (!stop.isEmpty()) {
      request.stop(stop);
    }
    return request;
  }

  /** Builds {@link PromptParameters}; every parameter defaults to null (the provider's default). */
  public static final class Builder {
    private @Nullable Double temperature;
    private @Nullable Double topP;
    private @Nullable Integer maxOutputTokens;
    private @Nullable Long seed;
    private @Nullable Double frequencyPenalty;
    private @Nullable Double presencePenalty;
    private final List<String> stop = new ArrayList<>();

    private Builder() {}

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

    /** Defaults to null: the provider's default. */
    public Builder maxOutputTokens(@Nullable Integer maxOutputTokens) {
      this.maxOutputTokens = maxOutputTokens;
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

    /** Replaces the stop sequences. Defaults to none. */
    public Builder stop(List<String> stop) {
      this.stop.clear();
      this.stop.addAll(stop);
      return this;
    }

    public PromptParameters build() {
      return new PromptParameters(temperature, topP, maxOutputTokens, seed, frequencyPenalty,
          presencePenalty, stop);
    }
  }
}
