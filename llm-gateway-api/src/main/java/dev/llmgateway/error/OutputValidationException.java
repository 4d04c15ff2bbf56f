package dev.llmgateway.error;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The model's answer does not have the shape the request asked for (its JSON schema), even after the
 * gateway's repair attempts. Carries the raw answer text and the validation errors so the caller can log,
 * repair or show them; the message names how many errors there were and the first of them, never the
 * answer text. Not retryable as is: sending the same request again usually gives a similar answer.
 */
public class OutputValidationException extends LlmException {
  private final String rawText;
  private final List<String> errors;

  /**
   * @param message what failed, without the answer text
   * @param rawText the last answer the model gave, unchanged
   * @param errors the validation errors of that answer, e.g. {@code /age: string found, integer expected}
   */
  public OutputValidationException(String message, String rawText, List<String> errors,
      ErrorContext context, @Nullable Throwable cause) {
    super(message, context, cause, false);
    this.rawText = Objects.requireNonNull(rawText, "rawText");
    this.errors = List.copyOf(errors);
  }

  /** The last answer text the model gave, unchanged: it may contain anything, so log it with care. */
  public String rawText() {
    return rawText;
  }

  /** The validation errors of {@link #rawText()}, in the validator's order. */
  public List<String> errors() {
    return errors;
  }
}
