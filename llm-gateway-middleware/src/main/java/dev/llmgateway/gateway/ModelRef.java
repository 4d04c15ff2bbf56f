package dev.llmgateway.gateway;

import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.internal.Require;

/**
 * A model string split into provider and provider-native model: {@code openai/gpt-4o-mini} is provider
 * {@code openai}, model {@code gpt-4o-mini}. Only the first slash separates, so models whose own names
 * contain slashes ({@code openrouter/meta-llama/llama-3.1-8b}) keep them.
 *
 * @param provider the provider name
 * @param model the model as the provider names it
 */
public record ModelRef(String provider, String model) {

  public ModelRef {
    Require.nonBlank(provider, "provider");
    Require.nonBlank(model, "model");
  }

  /** Parses {@code provider/model}; fails naming the string when it has no provider part. */
  public static ModelRef parse(String value) {
    Require.nonBlank(value, "model");
    int slash = value.indexOf('/');
    if (slash <= 0 || slash == value.length() - 1) {
      throw new InvalidRequestException("model '" + value
          + "' is neither a configured alias nor of the form provider/model");
    }
    return new ModelRef(value.substring(0, slash), value.substring(slash + 1));
  }

  @Override
  public String toString() {
    return provider + "/" + model;
  }
}
