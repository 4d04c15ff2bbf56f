package dev.llmgateway.ledger;

import dev.llmgateway.gateway.internal.Check;
import org.jspecify.annotations.Nullable;

/**
 * Something usage can be grouped or filtered by: a field of {@link UsageRecord}, or the value of one tag.
 *
 * @param kind which field
 * @param tagKey the tag's key when {@code kind} is {@link Kind#TAG}; null otherwise
 */
public record Dimension(Kind kind, @Nullable String tagKey) {
  /** The request metadata's tenant. */
  public static final Dimension TENANT = new Dimension(Kind.TENANT, null);
  /** The request metadata's user. */
  public static final Dimension USER = new Dimension(Kind.USER, null);
  /** The request metadata's application. */
  public static final Dimension APPLICATION = new Dimension(Kind.APPLICATION, null);
  /** The provider that answered. */
  public static final Dimension PROVIDER = new Dimension(Kind.PROVIDER, null);
  /** The model that answered. */
  public static final Dimension MODEL = new Dimension(Kind.MODEL, null);
  /** The router's deployment. */
  public static final Dimension DEPLOYMENT = new Dimension(Kind.DEPLOYMENT, null);
  /** How the call ended. */
  public static final Dimension OUTCOME = new Dimension(Kind.OUTCOME, null);

  /** The fields a dimension can name. */
  public enum Kind {
    TENANT, USER, APPLICATION, PROVIDER, MODEL, DEPLOYMENT, OUTCOME, TAG
  }

  public Dimension {
    Check.nonNull(kind, "dimension.kind");
    Check.that((kind == Kind.TAG) == (tagKey != null && !tagKey.isBlank()),
        "dimension.tagKey must be set exactly when the kind is TAG");
  }

  /** The value of the tag {@code key}, e.g. {@code tag("feature")}. */
  public static Dimension tag(String key) {
    return new Dimension(Kind.TAG, Check.nonBlank(key, "tag key"));
  }

  @Override
  public String toString() {
    return kind == Kind.TAG ? "tag:" + tagKey : kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
