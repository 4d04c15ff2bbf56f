package dev.llmgateway.prompt.function.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.prompt.function.internal.Shape.ArrayShape;
import dev.llmgateway.prompt.function.internal.Shape.BooleanShape;
import dev.llmgateway.prompt.function.internal.Shape.EnumShape;
import dev.llmgateway.prompt.function.internal.Shape.IntegerShape;
import dev.llmgateway.prompt.function.internal.Shape.MapShape;
import dev.llmgateway.prompt.function.internal.Shape.NullableShape;
import dev.llmgateway.prompt.function.internal.Shape.NumberShape;
import dev.llmgateway.prompt.function.internal.Shape.ObjectShape;
import dev.llmgateway.prompt.function.internal.Shape.Property;
import dev.llmgateway.prompt.function.internal.Shape.StringShape;

/**
 * Writes a {@link Shape} as a JSON Schema (draft 2020-12 vocabulary, inline, no {@code $ref}s) in the
 * subset OpenAI's strict structured outputs accept: every object closes with
 * {@code additionalProperties: false}; a nullable value has {@code "type": [T, "null"]} (and {@code null}
 * among an enum's values); no numeric or length bounds, which strict mode rejects (the validator checks
 * them instead).
 */
public final class SchemaWriter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final boolean allRequired;

  private SchemaWriter(boolean allRequired) {
    this.allRequired = allRequired;
  }

  /**
   * The schema of {@code shape}.
   *
   * @param allRequired whether every property is listed as required, nullable ones too (strict mode);
   *     otherwise only the non-nullable ones are
   */
  public static ObjectNode write(Shape shape, boolean allRequired) {
    return new SchemaWriter(allRequired).schema(shape);
  }

  private ObjectNode schema(Shape shape) {
    ObjectNode node = NODES.objectNode();
    if (shape instanceof StringShape s) {
      node.put("type", "string");
      if (s.kind().format() != null) {
        node.put("format", s.kind().format());
      }
    } else if (shape instanceof BooleanShape) {
      node.put("type", "boolean");
    } else if (shape instanceof IntegerShape) {
      node.put("type", "integer");
    } else if (shape instanceof NumberShape) {
      node.put("type", "number");
    } else if (shape instanceof EnumShape e) {
      node.put("type", "string");
      ArrayNode values = node.putArray("enum");
      e.values().forEach(values::add);
    } else if (shape instanceof ArrayShape a) {
      node.put("type", "array");
      node.set("items", schema(a.items()));
    } else if (shape instanceof MapShape m) {
      node.put("type", "object");
      node.set("additionalProperties", schema(m.values()));
    } else if (shape instanceof ObjectShape o) {
      node.put("type", "object");
      ObjectNode properties = node.putObject("properties");
      ArrayNode required = NODES.arrayNode();
      for (Property property : o.properties()) {
        ObjectNode schema = schema(property.shape());
        if (property.description() != null) {
          schema.put("description", property.description());
        }
        properties.set(property.name(), schema);
        if (allRequired || !property.nullable()) {
          required.add(property.name());
        }
      }
      node.set("required", required);
      node.put("additionalProperties", false);
    } else if (shape instanceof NullableShape n) {
      node = schema(n.inner());
      JsonNode type = node.get("type");
      ArrayNode types = NODES.arrayNode().add(type.textValue()).add("null");
      node.set("type", types);
      if (node.get("enum") instanceof ArrayNode values) {
        values.addNull();
      }
    } else {
      throw new AssertionError(shape);
    }
    return node;
  }
}
