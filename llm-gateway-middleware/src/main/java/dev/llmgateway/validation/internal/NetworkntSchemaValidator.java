package dev.llmgateway.validation.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.validation.SchemaValidator;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link SchemaValidator} on the networknt json-schema-validator 3.x (and its Jackson 3). Errors read
 * {@code <JSON pointer>: <message>}, e.g. {@code /age: string found, integer expected}, the document
 * itself being {@code /}. Schemas default
 * to draft 2020-12; the registry's default loader resolves only the bundled meta-schemas, never a remote
 * {@code $ref}. Compiled schemas are cached by their text, at most {@value #MAX_CACHED_SCHEMAS}.
 */
public final class NetworkntSchemaValidator implements SchemaValidator {
  static final int MAX_CACHED_SCHEMAS = 256;

  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private final JsonMapper mapper = JsonMapper.builder().build();
  private final Cache<String, Schema> schemas =
      Caffeine.newBuilder().maximumSize(MAX_CACHED_SCHEMAS).build();

  @Override
  public List<String> validate(String schema, String json) {
    Schema compiled = schemas.get(schema, this::compile);
    JsonNode node;
    try {
      node = mapper.readTree(json);
    } catch (JacksonException e) {
      // Jackson's message quotes the input; keep only where parsing failed.
      TokenStreamLocation at = e.getLocation();
      return List.of(at == null
          ? "not valid JSON"
          : "not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
    }
    if (node == null || node.isMissingNode()) {
      return List.of("not valid JSON (empty)");
    }
    List<String> errors = new ArrayList<>();
    for (Error error : compiled.validate(node)) {
      String where = String.valueOf(error.getInstanceLocation());
      errors.add((where.isEmpty() ? "/" : where) + ": " + error.getMessage());
    }
    return errors;
  }

  private Schema compile(String schema) {
    try {
      return registry.getSchema(schema);
    } catch (SchemaException | JacksonException e) {
      throw new InvalidRequestException("responseFormat.schema is not a usable JSON schema: "
          + e.getClass().getSimpleName());
    }
  }
}
