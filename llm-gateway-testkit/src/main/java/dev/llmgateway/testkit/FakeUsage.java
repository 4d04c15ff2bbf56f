package dev.llmgateway.testkit;

/**
 * The token counts a {@link FakeReply} reports, in OpenAI's {@code usage} object: {@code prompt_tokens},
 * {@code completion_tokens}, {@code total_tokens}, {@code prompt_tokens_details.cached_tokens} and
 * {@code completion_tokens_details.reasoning_tokens}.
 *
 * <p>A reply without usage reports an estimate instead (a word count of the prompt and of the answer), which
 * is good enough for budgets and metrics in tests; script exact counts when a test checks the arithmetic:
 *
 * <pre>{@code
 * FakeReply reply = FakeReply.builder().text("Hi").usage(new FakeUsage(120, 2, 100, 0)).build();
 * }</pre>
 *
 * @param promptTokens input tokens, cached ones included
 * @param completionTokens output tokens, reasoning ones included
 * @param cachedTokens the part of {@code promptTokens} read from the prompt cache
 * @param reasoningTokens the part of {@code completionTokens} spent on hidden reasoning
 */
public record FakeUsage(int promptTokens, int completionTokens, int cachedTokens, int reasoningTokens) {

  public FakeUsage {
    if (promptTokens < 0 || completionTokens < 0 || cachedTokens < 0 || reasoningTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
    if (cachedTokens > promptTokens) {
      throw new IllegalArgumentException(
          "cachedTokens (" + cachedTokens + ") must not exceed promptTokens (" + promptTokens + ")");
    }
    if (reasoningTokens > completionTokens) {
      throw new IllegalArgumentException("reasoningTokens (" + reasoningTokens
          + ") must not exceed completionTokens (" + completionTokens + ")");
    }
  }

  /** Prompt and completion tokens, nothing cached, no reasoning. */
  public static FakeUsage of(int promptTokens, int completionTokens) {
    return new FakeUsage(promptTokens, completionTokens, 0, 0);
  }

  /** {@code promptTokens + completionTokens}, OpenAI's {@code total_tokens}. */
  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
