package dev.llmgateway.prompt.http;

import dev.llmgateway.ChatClient;
import dev.llmgateway.prompt.PromptRegistry;
import dev.llmgateway.prompt.function.PromptFunction;

/**
 * The example-ready sentiment function: the YAML prompt {@code sentiment}
 * ({@code src/test/resources/function-prompts/sentiment.yaml}) as a typed function from a review to a
 * {@link Sentiment}.
 */
final class SentimentFunction {
  private SentimentFunction() {}

  /** The sentiment of a review. */
  enum Label { POSITIVE, NEGATIVE, NEUTRAL }

  /** The input: the review's text, the prompt's only variable. */
  record Review(String text) {}

  /** The output: a label and the model's confidence in it, between 0 and 1. */
  record Sentiment(Label label, double confidence) {}

  /** The prompts of these tests, loaded from the classpath folder {@code function-prompts}. */
  static PromptRegistry registry() {
    return PromptRegistry.builder().loadClasspath("function-prompts").build();
  }

  /** The function, calling through {@code client}. */
  static PromptFunction<Review, Sentiment> create(ChatClient client) {
    return PromptFunction.builder("sentiment", Review.class, Sentiment.class)
        .client(client)
        .registry(registry())
        .build();
  }
}
