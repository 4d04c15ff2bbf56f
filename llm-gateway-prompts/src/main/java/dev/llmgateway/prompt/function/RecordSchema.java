package dev.llmgateway.prompt.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.prompt.function.internal.JsonMappers;
import dev.llmgateway.prompt.function.internal.SchemaWriter;
import dev.llmgateway.prompt.function.internal.Shape.ObjectShape;
import dev.llmgateway.prompt.function.internal.ShapeValidator;
import dev.llmgateway.prompt.function.internal.Shapes;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The JSON Schema of a record type, derived from its components, and the check of a JSON document
 * against it. A prompt function sends its output record's schema as the request's
 * {@link dev.llmgateway.ResponseFormat} and checks the answer with it; the HTTP endpoint checks request
 * bodies with the input record's.
 *
 * <pre>{@code
 * record Sentiment(Label label, double confidence, @Nullable String reason) {}
 * RecordSchema<Sentiment> schema = RecordSchema.of(Sentiment.class);
 * schema.json();   // {"type":"object","properties":{"label":{"type":"string","enum":[...]},...}
 * }</pre>
 *
 * <p><b>Types.</b> {@code String}, {@code char}, {@code boolean}, the integer types and
 * {@code BigInteger} ({@code "integer"}, range-checked by {@link #validate}), {@code float},
 * {@code double} and {@code BigDecimal} ({@code "number"}), enums (their JSON names as {@code enum}),
 * {@code UUID}, {@code URI} and java.time values (strings, with {@code format} where JSON Schema has one
 * that fits: {@code date}, {@code date-time} for offset and zoned date-times and instants,
 * {@code duration}; none for {@code LocalTime}, since JSON Schema's {@code time} requires an offset, nor
 * for {@code LocalDateTime}), arrays and {@code List/Set/Collection<T>} ({@code "array"}; not
 * {@code byte[]} or {@code char[]}, which Jackson writes as strings), {@code Map<String, T>} (an object
 * with {@code additionalProperties}; not in strict mode), and nested records, inlined (no {@code $ref}s,
 * so every provider's schema dialect takes it; a record that contains itself is rejected). Generic
 * records ({@code record Page<T>(List<T> items)}) are not supported, even as {@code Page<String>}: use a
 * concrete record. Anything else is rejected with an {@link LlmConfigurationException} naming the
 * component.
 *
 * <p><b>Nulls.</b> A component whose type is {@code Optional<T>} or is annotated {@code @Nullable}
 * (JSpecify, or any annotation of that simple name) may be null: its schema type is
 * {@code [T, "null"]}. Every other component is required and must not be null.
 *
 * <p><b>Strict mode</b> ({@link #DEFAULT_STRICT}) is the form OpenAI's strict structured outputs
 * require: every property listed as required, nullable ones included, and {@code additionalProperties:
 * false} on every object, hence no maps. Without it, only the non-nullable properties are required. In
 * both modes, unknown properties are errors.
 *
 * <p>Names, descriptions ({@code @JsonPropertyDescription}, written as {@code description}) and ignored
 * components come from the Jackson mapper's own introspection, so the schema describes what that mapper
 * reads. Immutable and thread-safe.
 *
 * @param <T> the record type
 */
public final class RecordSchema<T extends Record> {
  /** Whether a schema is derived in strict mode by default: {@value}. */
  public static final boolean DEFAULT_STRICT = true;

  private final Class<T> type;
  private final boolean strict;
  private final ObjectMapper mapper;
  private final ObjectShape shape;
  private final ObjectNode schema;
  private final String json;

  private RecordSchema(Class<T> type, boolean strict, ObjectMapper mapper) {
    this.type = Objects.requireNonNull(type, "type");
    this.strict = strict;
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.shape = Shapes.ofRecord(type, mapper, !strict);
    this.schema = SchemaWriter.write(shape, strict);
    this.json = schema.toString();
  }

  /**
   * The schema of {@code type} in strict mode ({@link #DEFAULT_STRICT}), read with
   * {@link PromptFunction#newObjectMapper()}.
   *
   * @throws LlmConfigurationException when a component's type is not supported
   */
  public static <T extends Record> RecordSchema<T> of(Class<T> type) {
    return of(type, DEFAULT_STRICT, JsonMappers.create());
  }

  /**
   * The schema of {@code type}.
   *
   * @param strict whether every property is required and maps are refused (OpenAI's strict mode)
   * @param mapper the mapper whose names and enum values the schema follows, and which reads documents
   * @throws LlmConfigurationException when a component's type is not supported
   */
  public static <T extends Record> RecordSchema<T> of(Class<T> type, boolean strict, ObjectMapper mapper) {
    return new RecordSchema<>(type, strict, mapper);
  }

  /** The record type. */
  public Class<T> type() {
    return type;
  }

  /** Whether this schema is in strict mode. */
  public boolean strict() {
    return strict;
  }

  /** The schema as compact JSON text, as sent in a {@link dev.llmgateway.ResponseFormat}. */
  public String json() {
    return json;
  }

  /** The schema as a JSON tree: a copy, free to change. */
  public ObjectNode node() {
    return schema.deepCopy();
  }

  /**
   * The errors of {@code document} against this schema, each a JSON Pointer and what was expected
   * ({@code /confidence: expected a number, found a string}); empty when it matches. Errors never quote a
   * value from the document. At most {@link ShapeValidator#MAX_ERRORS} are listed, then a count.
   */
  public List<String> validate(JsonNode document) {
    return ShapeValidator.validate(shape, document.deepCopy());
  }

  /**
   * Like {@link #validate}, but on {@code document} itself, which gains an explicit null for each
   * missing nullable property.
   */
  List<String> validateInPlace(JsonNode document) {
    return ShapeValidator.validate(shape, document);
  }

  /** The shape the schema was written from. */
  ObjectShape shape() {
    return shape;
  }

  /**
   * {@code document} as a {@code T}, or the errors that prevent it.
   *
   * @return the value, or null with {@code errors} filled in
   */
  @Nullable T read(JsonNode document, List<String> errors) {
    JsonNode copy = document.deepCopy();
    List<String> found = ShapeValidator.validate(shape, copy);
    if (!found.isEmpty()) {
      errors.addAll(found);
      return null;
    }
    try {
      return mapper.treeToValue(copy, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      errors.add(e instanceof JsonProcessingException j ? JsonMappers.describe(j)
          : "/: cannot be read as " + type.getSimpleName());
      return null;
    }
  }

  @Override
  public String toString() {
    return "RecordSchema[" + type.getName() + (strict ? ", strict" : "") + "]";
  }
}
