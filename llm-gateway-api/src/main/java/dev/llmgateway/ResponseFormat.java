package dev.llmgateway;

import dev.llmgateway.internal.Require;
import org.jspecify.annotations.Nullable;

/**
 * The shape the answer must take: free text, any JSON object, or JSON matching a schema.
 *
 * @param type the kind of output
 * @param schemaName a name for the schema (OpenAI requires one); set only for {@link Type#JSON_SCHEMA}
 * @param schema the JSON Schema as JSON text; set only for {@link Type#JSON_SCHEMA}
 * @param strict whether the provider must follow the schema exactly; null for the provider default
 */
public record ResponseFormat(Type type, @Nullable String schemaName, @Nullable String schema,
    @Nullable Boolean strict) {

  /** The output kinds. */
  public enum Type {
    TEXT,
    JSON_OBJECT,
    JSON_SCHEMA
  }

  public ResponseFormat {
    Require.nonNull(type, "responseFormat.type");
    if (type == Type.JSON_SCHEMA) {
      Require.nonBlank(schemaName, "responseFormat.schemaName");
      Require.nonBlank(schema, "responseFormat.schema");
    } else {
      Require.check(schemaName == null && schema == null,
          "responseFormat.schema is only allowed with type JSON_SCHEMA");
    }
  }

  public static ResponseFormat text() {
    return new ResponseFormat(Type.TEXT, null, null, null);
  }

  public static ResponseFormat jsonObject() {
    return new ResponseFormat(Type.JSON_OBJECT, null, null, null);
  }

  public static ResponseFormat jsonSchema(String name, String schema) {
    return new ResponseFormat(Type.JSON_SCHEMA, name, schema, true);
  }
}
