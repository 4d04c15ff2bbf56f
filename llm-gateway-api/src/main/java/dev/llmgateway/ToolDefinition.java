package dev.llmgateway;

import dev.llmgateway.internal.Require;
import org.jspecify.annotations.Nullable;

/**
 * A function the model may call.
 *
 * @param name the function name the model uses to call it
 * @param description what it does, for the model; null for none
 * @param parametersSchema a JSON Schema object, as JSON text, describing the arguments
 * @param strict whether the provider should enforce the schema exactly (OpenAI {@code strict}); null for
 *     the provider default
 */
public record ToolDefinition(String name, @Nullable String description, String parametersSchema,
    @Nullable Boolean strict) {

  /** The schema of a function without parameters. */
  public static final String EMPTY_PARAMETERS = "{\"type\":\"object\",\"properties\":{}}";

  public ToolDefinition {
    Require.nonBlank(name, "tool.name");
    Require.nonBlank(parametersSchema, "tool.parametersSchema");
    Require.check(parametersSchema.strip().startsWith("{"),
        "tool.parametersSchema of '" + name + "' must be a JSON object");
  }

  public static ToolDefinition of(String name, String description, String parametersSchema) {
    return new ToolDefinition(name, description, parametersSchema, null);
  }
}
