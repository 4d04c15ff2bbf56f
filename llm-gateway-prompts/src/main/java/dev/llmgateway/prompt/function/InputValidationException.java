package dev.llmgateway.prompt.function;

import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import java.util.List;
import java.util.Objects;

/**
 * A prompt function's input (e.g. an HTTP request body) does not match its input schema. The message
 * names the function, the number of errors and the first; {@link #errors()} lists them, each a JSON
 * Pointer and what was expected ({@code /text: required property is missing}), never a value from the
 * input. Not retryable.
 */
public class InputValidationException extends InvalidRequestException {
  private final String function;
  private final List<String> errors;

  /**
   * @param function the function's name
   * @param errors what is wrong, at least one
   */
  public InputValidationException(String function, List<String> errors) {
    super(message(function, errors), ErrorContext.EMPTY, null);
    this.function = function;
    this.errors = List.copyOf(errors);
  }

  private static String message(String function, List<String> errors) {
    Objects.requireNonNull(function, "function");
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("errors must not be empty");
    }
    return "the input of prompt function '" + function + "' is invalid: " + errors.size() + " error"
        + (errors.size() == 1 ? "" : "s") + ", first: " + errors.get(0);
  }

  /** The function's name. */
  public String function() {
    return function;
  }

  /** What is wrong, in document order. */
  public List<String> errors() {
    return errors;
  }
}
