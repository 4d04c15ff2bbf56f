package dev.llmgateway.prompt.function.internal;

import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The JSON shape of a Java type, as far as a prompt function needs it: what to write into the JSON
 * Schema and what to check an answer against. Derived once per type by {@link Shapes}.
 */
public sealed interface Shape {

  /** A JSON string; {@code kind} says which Java type reads it and how to check its form. */
  record StringShape(StringKind kind) implements Shape {
    public StringShape {
      Objects.requireNonNull(kind, "kind");
    }
  }

  /** A JSON boolean. */
  record BooleanShape() implements Shape {}

  /**
   * A JSON integer between {@code min} and {@code max} inclusive (null bounds: unbounded), e.g. the range
   * of a Java {@code int}.
   */
  record IntegerShape(@Nullable BigInteger min, @Nullable BigInteger max) implements Shape {}

  /** A JSON number. */
  record NumberShape() implements Shape {}

  /** One of a fixed set of strings: a Java enum's JSON values, in declaration order. */
  record EnumShape(Class<?> type, List<String> values) implements Shape {
    public EnumShape {
      values = List.copyOf(values);
    }
  }

  /** A JSON array of {@code items}. */
  record ArrayShape(Shape items) implements Shape {}

  /** A JSON object with any keys, each value a {@code values}: a Java {@code Map<String, T>}. */
  record MapShape(Shape values) implements Shape {}

  /** A JSON object with exactly {@code properties}: a Java record. */
  record ObjectShape(Class<?> type, List<Property> properties) implements Shape {
    public ObjectShape {
      properties = List.copyOf(properties);
    }
  }

  /** {@code inner} or null: a {@code @Nullable} component or an {@code Optional}. */
  record NullableShape(Shape inner) implements Shape {
    public NullableShape {
      if (inner instanceof NullableShape) {
        throw new IllegalArgumentException("nested nullable shape");
      }
    }
  }

  /**
   * One component of a record.
   *
   * @param name its JSON name (Jackson's: the component name unless renamed)
   * @param shape its shape, a {@link NullableShape} when it may be null
   * @param description Jackson's {@code @JsonPropertyDescription}, written into the schema; null for none
   */
  record Property(String name, Shape shape, @Nullable String description) {
    public Property {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(shape, "shape");
    }

    public boolean nullable() {
      return shape instanceof NullableShape;
    }
  }

  /** The Java types read from a JSON string, with their JSON Schema {@code format} and form check. */
  enum StringKind {
    TEXT(null),
    CHARACTER(null),
    UUID("uuid"),
    URI(null),
    DATE("date"),
    // No format: JSON Schema's "time" is RFC 3339's full-time, which requires an offset (13:45:00Z),
    // while a LocalTime has none and does not parse one.
    TIME(null),
    LOCAL_DATE_TIME(null),
    DATE_TIME("date-time"),
    DURATION("duration");

    private final @Nullable String format;

    StringKind(@Nullable String format) {
      this.format = format;
    }

    /** The JSON Schema {@code format}; null when the schema says only "string". */
    public @Nullable String format() {
      return format;
    }

    /** What is wrong with {@code value} for this kind, or null when it is fine. Never quotes the value. */
    public @Nullable String problem(String value) {
      try {
        switch (this) {
          case TEXT:
            return null;
          case CHARACTER:
            return value.length() == 1 ? null : "expected a single character";
          case UUID:
            java.util.UUID.fromString(value);
            return null;
          case URI:
            java.net.URI.create(value);
            return null;
          case DATE:
            LocalDate.parse(value);
            return null;
          case TIME:
            LocalTime.parse(value);
            return null;
          case LOCAL_DATE_TIME:
            LocalDateTime.parse(value);
            return null;
          case DATE_TIME:
            OffsetDateTime.parse(value);
            return null;
          case DURATION:
            Duration.parse(value);
            return null;
          default:
            throw new AssertionError(this);
        }
      } catch (IllegalArgumentException | DateTimeParseException e) {
        return "expected " + describe();
      }
    }

    private String describe() {
      switch (this) {
        case UUID:
          return "a UUID";
        case URI:
          return "a URI";
        case DATE:
          return "an ISO-8601 date (2024-05-31)";
        case TIME:
          return "an ISO-8601 time (13:45:00)";
        case LOCAL_DATE_TIME:
          return "an ISO-8601 local date-time (2024-05-31T13:45:00)";
        case DATE_TIME:
          return "an ISO-8601 date-time with offset (2024-05-31T13:45:00Z)";
        case DURATION:
          return "an ISO-8601 duration (PT5M)";
        default:
          return "a string";
      }
    }
  }
}
