package dev.llmgateway.prompt;

import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A template was rendered without a value it needs. Prompts are strict on purpose: a missing variable
 * would otherwise render as the empty string and send a silently broken prompt (and pay for it). The
 * message names the template and the variables, never their values or the prompt's text.
 *
 * <p>A variable is missing when no scope defines its name (a map without the key, a record without
 * the component; other objects define no names); a {@code null} value (or an empty {@code Optional})
 * counts as missing for a value tag such as {@code {{text}}}, while for a section ({@code {{#items}}}
 * or {@code {{^items}}}) a present key whose value is {@code null}, {@code false} or empty simply
 * switches the section off.
 *
 * <p>It is the caller's error (an {@link InvalidRequestException}) when the caller chose the values; a
 * {@code PromptFunction} with a record input turns it into a configuration error instead, since there
 * the values come from an input that matched the function's own schema.
 */
public class MissingVariableException extends InvalidRequestException {
  private final String template;
  private final Set<String> variables;

  /**
   * @param template the template's name, e.g. {@code summarize@3 messages[1]}
   * @param variables the missing variables, dotted for nested ones ({@code user.name})
   */
  public MissingVariableException(String template, Set<String> variables) {
    this(template, variables, null);
  }

  /**
   * @param template the template's name
   * @param variables the missing variables
   * @param location where the first of them is used, {@code template-or-partial:line}; null if unknown
   */
  public MissingVariableException(String template, Set<String> variables, @Nullable String location) {
    super("template '" + template + "' is missing variable" + (variables.size() == 1 ? " " : "s ")
        + new TreeSet<>(variables) + (location != null ? " (used at " + location + ")" : ""),
        ErrorContext.EMPTY, null);
    this.template = template;
    this.variables = Set.copyOf(variables);
  }

  /** The template's name. */
  public String template() {
    return template;
  }

  /** The missing variables. */
  public Set<String> variables() {
    return variables;
  }
}
