package dev.llmgateway.validation;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.validation.internal.NetworkntSchemaValidator;
import java.util.List;

/**
 * Checks a text against a JSON Schema. The default, {@link #networknt()}, uses the networknt
 * json-schema-validator; a host may bring any other (a lambda will do), e.g. one that already sits on its
 * classpath.
 *
 * <p>Implementations are thread-safe and never put the checked text into an error: an error names where
 * in the document it is and what is wrong ({@code /age: string found, integer expected}), or for text
 * that is not JSON, the line and column only.
 */
@FunctionalInterface
public interface SchemaValidator {

  /**
   * The errors of {@code json} against {@code schema}; empty when it is valid.
   *
   * @param schema the JSON Schema, as JSON text
   * @param json the text to check
   * @throws dev.llmgateway.error.InvalidRequestException when {@code schema} is not a usable schema
   */
  List<String> validate(String schema, String json);

  /**
   * The validator built on the networknt json-schema-validator (draft 2020-12 unless the schema names
   * another dialect with {@code $schema}; no remote {@code $ref}s are fetched; compiled schemas are
   * cached).
   *
   * @throws LlmConfigurationException when {@code com.networknt:json-schema-validator} is not on the
   *     classpath: it is an optional dependency of the middleware, which the host adds to use it
   */
  static SchemaValidator networknt() {
    try {
      Class.forName("com.networknt.schema.SchemaRegistry", false, SchemaValidator.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new LlmConfigurationException("structured output validation needs "
          + "com.networknt:json-schema-validator (3.x) on the classpath, or a SchemaValidator of the "
          + "host's own");
    }
    return new NetworkntSchemaValidator();
  }
}
