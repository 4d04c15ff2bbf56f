package dev.llmgateway.catalog;

/**
 * What a model can do, as far as the gateway checks it before a call.
 *
 * <p>A capability is {@code false} only where the provider documents it as unsupported for the model;
 * when in doubt the bundled catalog says {@code true}, so that the catalog never refuses a request the
 * provider might accept.
 *
 * @param tools function calling (the request's tools)
 * @param vision image inputs ({@link dev.llmgateway.ContentPart.Image} parts)
 * @param jsonSchema output constrained by a JSON schema
 *     ({@link dev.llmgateway.ResponseFormat.Type#JSON_SCHEMA})
 * @param thinking extended thinking / reasoning (informational; the gateway does not check it)
 */
public record ModelCapabilities(boolean tools, boolean vision, boolean jsonSchema, boolean thinking) {

  /** Everything. */
  public static final ModelCapabilities ALL = new ModelCapabilities(true, true, true, true);
}
