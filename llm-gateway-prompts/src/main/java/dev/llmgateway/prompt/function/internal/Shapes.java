package dev.llmgateway.prompt.function.internal;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.prompt.function.internal.Shape.ArrayShape;
import dev.llmgateway.prompt.function.internal.Shape.BooleanShape;
import dev.llmgateway.prompt.function.internal.Shape.EnumShape;
import dev.llmgateway.prompt.function.internal.Shape.IntegerShape;
import dev.llmgateway.prompt.function.internal.Shape.MapShape;
import dev.llmgateway.prompt.function.internal.Shape.NullableShape;
import dev.llmgateway.prompt.function.internal.Shape.NumberShape;
import dev.llmgateway.prompt.function.internal.Shape.ObjectShape;
import dev.llmgateway.prompt.function.internal.Shape.Property;
import dev.llmgateway.prompt.function.internal.Shape.StringKind;
import dev.llmgateway.prompt.function.internal.Shape.StringShape;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedArrayType;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.AnnotatedWildcardType;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Derives the {@link Shape} of a record type. JSON property names, descriptions
 * ({@code @JsonPropertyDescription}) and ignored components ({@code @JsonIgnore}) are taken from the
 * given Jackson mapper's own introspection, so the shape describes exactly what that mapper reads and
 * writes; enum values are what the mapper writes for each constant.
 *
 * <p>A component may be null when its type is {@code Optional<T>} or carries an annotation named
 * {@code Nullable} (JSpecify's type-use one, or any declaration annotation of that simple name on the
 * component). Every other component is required and non-null.
 *
 * <p>Generic records ({@code record Page<T>(List<T> items)}) are not supported, not even through a
 * parameterized component ({@code Page<String>}): a component typed by a type variable is refused as
 * not concrete.
 */
public final class Shapes {
  /** What a shape can be derived from, for error messages. */
  public static final String SUPPORTED = "String, char, boolean, byte/short/int/long, BigInteger, "
      + "float/double, BigDecimal (and their boxes), enums, UUID, URI, LocalDate, LocalTime, "
      + "LocalDateTime, OffsetDateTime, ZonedDateTime, Instant, Duration, arrays (not byte[] or char[]), "
      + "List/Set/Collection<T>, Map<String, T>, Optional<T> and non-generic records of these";

  private final ObjectMapper mapper;
  private final boolean allowMaps;
  private final Deque<Class<?>> path = new ArrayDeque<>();

  private Shapes(ObjectMapper mapper, boolean allowMaps) {
    this.mapper = mapper;
    this.allowMaps = allowMaps;
  }

  /**
   * The shape of the record {@code type}.
   *
   * @param allowMaps whether {@code Map} components are allowed: not in OpenAI's strict mode, which
   *     requires every object to list its properties
   * @throws LlmConfigurationException naming the component when a type is not supported, a record is
   *     recursive, or a map is not allowed
   */
  public static ObjectShape ofRecord(Class<?> type, ObjectMapper mapper, boolean allowMaps) {
    if (!type.isRecord()) {
      throw new LlmConfigurationException(type.getName() + " is not a record: a prompt function's "
          + "input and output types are records");
    }
    return new Shapes(mapper, allowMaps).record(type, type.getSimpleName());
  }

  private ObjectShape record(Class<?> type, String where) {
    if (path.contains(type)) {
      throw unsupported(where, "the record " + type.getSimpleName() + " contains itself; recursive "
          + "records are not supported");
    }
    path.push(type);
    try {
      BeanDescription description = mapper.getSerializationConfig().introspect(mapper.constructType(type));
      Map<String, BeanPropertyDefinition> byInternalName = new HashMap<>();
      for (BeanPropertyDefinition property : description.findProperties()) {
        byInternalName.put(property.getInternalName(), property);
      }
      List<Property> properties = new ArrayList<>();
      for (RecordComponent component : type.getRecordComponents()) {
        BeanPropertyDefinition property = byInternalName.get(component.getName());
        if (property == null) {
          continue; // ignored by Jackson
        }
        String at = where + "." + component.getName();
        Shape shape = shape(component.getAnnotatedType(), at);
        if (!(shape instanceof NullableShape) && declaredNullable(type, component)) {
          shape = nullable(shape, component.getType(), at);
        }
        properties.add(new Property(property.getName(), shape, property.getMetadata().getDescription()));
      }
      return new ObjectShape(type, properties);
    } finally {
      path.pop();
    }
  }

  private Shape shape(AnnotatedType annotated, String where) {
    Type type = annotated.getType();
    Class<?> raw = raw(type, where);
    if (raw == Optional.class) {
      AnnotatedType inner = typeArgument(annotated, 0, where);
      Shape shape = shape(inner, where);
      return shape instanceof NullableShape ? shape : new NullableShape(shape);
    }
    Shape shape = bare(annotated, raw, where);
    return hasNullable(annotated.getAnnotations()) ? nullable(shape, raw, where) : shape;
  }

  private static Shape nullable(Shape shape, Class<?> raw, String where) {
    if (raw.isPrimitive()) {
      throw unsupported(where, "a primitive " + raw + " cannot be null; use its box type");
    }
    return shape instanceof NullableShape ? shape : new NullableShape(shape);
  }

  private Shape bare(AnnotatedType annotated, Class<?> raw, String where) {
    if (raw == String.class || raw == CharSequence.class) {
      return new StringShape(StringKind.TEXT);
    }
    if (raw == char.class || raw == Character.class) {
      return new StringShape(StringKind.CHARACTER);
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return new BooleanShape();
    }
    if (raw == byte.class || raw == Byte.class) {
      return range(Byte.MIN_VALUE, Byte.MAX_VALUE);
    }
    if (raw == short.class || raw == Short.class) {
      return range(Short.MIN_VALUE, Short.MAX_VALUE);
    }
    if (raw == int.class || raw == Integer.class) {
      return range(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }
    if (raw == long.class || raw == Long.class) {
      return range(Long.MIN_VALUE, Long.MAX_VALUE);
    }
    if (raw == BigInteger.class) {
      return new IntegerShape(null, null);
    }
    if (raw == float.class || raw == Float.class || raw == double.class || raw == Double.class
        || raw == BigDecimal.class) {
      return new NumberShape();
    }
    if (raw.isEnum()) {
      return enumShape(raw, where);
    }
    StringKind kind = stringKind(raw);
    if (kind != null) {
      return new StringShape(kind);
    }
    if (raw.isArray()) {
      if (raw == byte[].class) {
        throw unsupported(where, "byte[] is not supported");
      }
      if (raw == char[].class) {
        // Jackson writes a char[] as one string, not as the array of characters it would look like
        throw unsupported(where, "char[] is not supported (Jackson writes it as a string); use String");
      }
      AnnotatedType component = annotated instanceof AnnotatedArrayType array
          ? array.getAnnotatedGenericComponentType()
          : plain(raw.getComponentType());
      return new ArrayShape(shape(component, where + "[]"));
    }
    if (Collection.class.isAssignableFrom(raw)) {
      return new ArrayShape(shape(typeArgument(annotated, 0, where), where + "[]"));
    }
    if (Map.class.isAssignableFrom(raw)) {
      if (!allowMaps) {
        throw unsupported(where, "Map is not allowed in a strict schema: OpenAI's strict mode requires "
            + "every object to list its properties (additionalProperties: false); use a list of records, "
            + "or turn strict mode off");
      }
      Class<?> key = raw(typeArgument(annotated, 0, where).getType(), where);
      if (key != String.class) {
        throw unsupported(where, "a Map's keys must be String, not " + key.getSimpleName());
      }
      return new MapShape(shape(typeArgument(annotated, 1, where), where + "{}"));
    }
    if (raw.isRecord()) {
      return record(raw, where);
    }
    throw unsupported(where, raw.getName() + " is not supported");
  }

  private static @Nullable StringKind stringKind(Class<?> raw) {
    if (raw == UUID.class) {
      return StringKind.UUID;
    }
    if (raw == URI.class) {
      return StringKind.URI;
    }
    if (raw == LocalDate.class) {
      return StringKind.DATE;
    }
    if (raw == LocalTime.class) {
      return StringKind.TIME;
    }
    if (raw == LocalDateTime.class) {
      return StringKind.LOCAL_DATE_TIME;
    }
    if (raw == OffsetDateTime.class || raw == ZonedDateTime.class || raw == Instant.class) {
      return StringKind.DATE_TIME;
    }
    if (raw == Duration.class) {
      return StringKind.DURATION;
    }
    return null;
  }

  private static IntegerShape range(long min, long max) {
    return new IntegerShape(BigInteger.valueOf(min), BigInteger.valueOf(max));
  }

  private EnumShape enumShape(Class<?> type, String where) {
    List<String> values = new ArrayList<>();
    for (Object constant : type.getEnumConstants()) {
      JsonNode json = mapper.valueToTree(constant);
      if (!json.isTextual()) {
        throw unsupported(where, "the enum " + type.getSimpleName() + " is not written as JSON strings");
      }
      values.add(json.textValue());
    }
    if (values.isEmpty()) {
      throw unsupported(where, "the enum " + type.getSimpleName() + " has no constants");
    }
    return new EnumShape(type, values);
  }

  private static Class<?> raw(Type type, String where) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
      return c;
    }
    if (type instanceof GenericArrayType g) {
      return raw(g.getGenericComponentType(), where).arrayType();
    }
    throw unsupported(where, "the type " + type.getTypeName() + " is not concrete; use a concrete type");
  }

  private static AnnotatedType typeArgument(AnnotatedType annotated, int index, String where) {
    if (!(annotated instanceof AnnotatedParameterizedType parameterized)) {
      throw unsupported(where, "the raw type " + annotated.getType().getTypeName()
          + " has no type arguments; give them");
    }
    AnnotatedType argument = parameterized.getAnnotatedActualTypeArguments()[index];
    if (argument instanceof AnnotatedWildcardType wildcard) {
      AnnotatedType[] upper = wildcard.getAnnotatedUpperBounds();
      if (upper.length == 1 && upper[0].getType() != Object.class) {
        return upper[0];
      }
      throw unsupported(where, "the wildcard in " + annotated.getType().getTypeName()
          + " has no bound; use a concrete type");
    }
    return argument;
  }

  /** Whether a declaration annotation named {@code Nullable} sits on the component, its field or accessor. */
  private static boolean declaredNullable(Class<?> record, RecordComponent component) {
    List<AnnotatedElement> elements = new ArrayList<>(List.of(component, component.getAccessor()));
    try {
      elements.add(record.getDeclaredField(component.getName()));
    } catch (NoSuchFieldException e) {
      // a record always has the field; nothing more to look at otherwise
    }
    for (AnnotatedElement element : elements) {
      if (hasNullable(element.getAnnotations())) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasNullable(Annotation[] annotations) {
    for (Annotation annotation : annotations) {
      if (annotation.annotationType().getSimpleName().equals("Nullable")) {
        return true;
      }
    }
    return false;
  }

  private static AnnotatedType plain(Class<?> type) {
    return new AnnotatedType() {
      @Override
      public Type getType() {
        return type;
      }

      @Override
      public <T extends Annotation> @Nullable T getAnnotation(Class<T> annotationClass) {
        return null;
      }

      @Override
      public Annotation[] getAnnotations() {
        return new Annotation[0];
      }

      @Override
      public Annotation[] getDeclaredAnnotations() {
        return new Annotation[0];
      }
    };
  }

  private static LlmConfigurationException unsupported(String where, String why) {
    return new LlmConfigurationException("cannot derive a JSON schema for " + where + ": " + why
        + " (supported: " + SUPPORTED + ")");
  }
}
