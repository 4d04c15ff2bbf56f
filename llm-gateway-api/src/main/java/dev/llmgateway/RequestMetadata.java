package dev.llmgateway;

import dev.llmgateway.internal.Require;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Who a call is for. Interceptors read it (budgets per tenant, cache isolation, routing by tag);
 * providers only ever see {@code user}, as the end-user identifier some APIs accept for abuse tracking.
 *
 * @param tenant the customer or team the call is billed to; null when the host has none
 * @param user the end user; null for none
 * @param application the calling application or feature; null for none
 * @param tags free-form labels, e.g. {@code feature=search}
 */
public record RequestMetadata(@Nullable String tenant, @Nullable String user,
    @Nullable String application, Map<String, String> tags) {

  /** No tenant, user, application or tags. */
  public static final RequestMetadata EMPTY = new RequestMetadata(null, null, null, Map.of());

  public RequestMetadata {
    tags = Require.copyOf(tags, "metadata.tags");
  }

  public RequestMetadata withTenant(@Nullable String value) {
    return new RequestMetadata(value, user, application, tags);
  }

  public RequestMetadata withUser(@Nullable String value) {
    return new RequestMetadata(tenant, value, application, tags);
  }

  public RequestMetadata withApplication(@Nullable String value) {
    return new RequestMetadata(tenant, user, value, tags);
  }

  public RequestMetadata withTags(Map<String, String> value) {
    return new RequestMetadata(tenant, user, application, value);
  }
}
