package dev.llmgateway.prompt;

import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmConfigurationException;
import org.jspecify.annotations.Nullable;

/**
 * A prompt, template, partial, experiment or lock file is malformed: a YAML syntax error, an unknown or
 * missing field, a template that does not compile, a partial that does not exist, a variable used but
 * not declared, two versions marked current. Raised when the template is compiled or the
 * {@link PromptRegistry} is built, so that a broken prompt stops the application at start-up (or its
 * tests) rather than a call in production.
 *
 * <p>The message starts with the file (or classpath resource) and the field, e.g. {@code
 * prompts/summarize.yaml: versions[1].parameters.temprature: unknown field}; it names prompts, fields,
 * variables and partials, never a template's text.
 */
public class PromptDefinitionException extends LlmConfigurationException {
  private final @Nullable String source;
  private final @Nullable String field;
  private final String problem;

  /**
   * @param source the file or classpath resource at fault; null for a prompt built in code
   * @param field the field at fault, as a path such as {@code versions[1].messages[0]}; null for the
   *     whole source
   * @param message what is wrong
   */
  public PromptDefinitionException(@Nullable String source, @Nullable String field, String message) {
    this(source, field, message, null);
  }

  public PromptDefinitionException(@Nullable String source, @Nullable String field, String message,
      @Nullable Throwable cause) {
    super(prefix(source, field) + message, ErrorContext.EMPTY, cause);
    this.source = source;
    this.field = field;
    this.problem = message;
  }

  private static String prefix(@Nullable String source, @Nullable String field) {
    StringBuilder sb = new StringBuilder();
    if (source != null) {
      sb.append(source).append(": ");
    }
    if (field != null) {
      sb.append(field).append(": ");
    }
    return sb.toString();
  }

  /** The file or classpath resource at fault; null for a prompt built in code. */
  public @Nullable String source() {
    return source;
  }

  /** The field at fault, e.g. {@code versions[1].messages[0]}; null when the whole source is. */
  public @Nullable String field() {
    return field;
  }

  /** What is wrong, without the source and field the message starts with. */
  public String problem() {
    return problem;
  }
}
