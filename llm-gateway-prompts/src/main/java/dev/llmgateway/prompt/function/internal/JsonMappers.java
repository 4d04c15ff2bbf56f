package dev.llmgateway.prompt.function.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The Jackson set-up of prompt functions, and the error text of a failed read. */
public final class JsonMappers {
  private JsonMappers() {}

  /**
   * A new mapper that reads and writes what {@link Shapes} supports: {@code Optional} (Jdk8Module) and
   * java.time values as ISO-8601 strings (JavaTimeModule, timestamps off); unknown properties fail; a
   * floating-point number never silently becomes an integer.
   */
  public static ObjectMapper create() {
    return JsonMapper.builder()
        .addModule(new Jdk8Module())
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .build();
  }

  /**
   * A failed read as a validation error: the JSON Pointer of where it failed and the Java type it could
   * not become; never Jackson's message, which may quote the value.
   */
  public static String describe(JsonProcessingException e) {
    StringBuilder pointer = new StringBuilder();
    String target = "the expected type";
    if (e instanceof JsonMappingException mapping) {
      for (JsonMappingException.Reference reference : mapping.getPath()) {
        if (reference.getFieldName() != null) {
          pointer.append('/').append(ShapeValidator.escape(reference.getFieldName()));
        } else if (reference.getIndex() >= 0) {
          pointer.append('/').append(reference.getIndex());
        }
      }
      if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatched
          && mismatched.getTargetType() != null) {
        target = mismatched.getTargetType().getSimpleName();
      }
    }
    return (pointer.length() == 0 ? "/" : pointer.toString()) + ": cannot be read as " + target;
  }
}
