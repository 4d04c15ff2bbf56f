package dev.llmgateway.routing;

import dev.llmgateway.gateway.internal.Check;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One way to serve a {@link ModelGroup}: a provider and model (and through the provider, its credentials
 * and base URL or region), with its routing weight and capacity. Two deployments of the same model under
 * different keys or regions are registered as two providers, e.g. {@code openai} and {@code openai-eu},
 * each with its own keys and base URL, and named by their targets {@code openai/gpt-4o} and
 * {@code openai-eu/gpt-4o}.
 *
 * <pre>{@code
 * Deployment eu = Deployment.builder("gpt-4o-eu", "openai-eu/gpt-4o")
 *     .weight(3).rpm(500L).tpm(200_000L).maxInFlight(20).tag("region", "eu")
 *     .build();
 * }</pre>
 *
 * @param id names the deployment in stats, cooldowns, attempts and logs; unique within a router
 * @param target the model the request is sent to, {@code provider/model}; the provider is a name the
 *     gateway knows (registered or discovered)
 * @param weight the share of calls a weighted strategy gives it, at least 0 (0: only when every candidate
 *     weighs 0)
 * @param rpm requests per minute the deployment may take; null for unlimited
 * @param tpm tokens per minute the deployment may take; null for unlimited
 * @param maxInFlight the most calls it may serve at once; null for unlimited. A deployment at its limit is
 *     skipped
 * @param tags free-form labels for strategies and selectors, e.g. {@code region=eu}
 * @param contextWindow the most tokens (input and output together) it accepts; null to take it from the
 *     model catalog, or to treat it as unknown (never filtered) when the catalog does not know the model
 * @param catalogModel the {@code provider/model} under which the model catalog describes this deployment
 *     (for its context window and prices); null for {@link #target}. Set it when the provider has a name
 *     of its own, e.g. {@code openai/gpt-4o} for target {@code openai-eu/gpt-4o}
 */
public record Deployment(String id, String target, int weight, @Nullable Long rpm, @Nullable Long tpm,
    @Nullable Integer maxInFlight, Map<String, String> tags, @Nullable Integer contextWindow,
    @Nullable String catalogModel) {

  /** The weight of a deployment by default: {@value}. */
  public static final int DEFAULT_WEIGHT = 1;

  public Deployment {
    Check.nonBlank(id, "deployment.id");
    checkModel(target, "deployment '" + id + "' target");
    Check.that(weight >= 0, "deployment '" + id + "' weight must be >= 0, was " + weight);
    Check.that(rpm == null || rpm > 0, "deployment '" + id + "' rpm must be > 0 or null, was " + rpm);
    Check.that(tpm == null || tpm > 0, "deployment '" + id + "' tpm must be > 0 or null, was " + tpm);
    Check.that(maxInFlight == null || maxInFlight > 0,
        "deployment '" + id + "' maxInFlight must be > 0 or null, was " + maxInFlight);
    tags = Check.copyOf(tags, "deployment '" + id + "' tags");
    Check.that(contextWindow == null || contextWindow > 0,
        "deployment '" + id + "' contextWindow must be > 0 or null, was " + contextWindow);
    if (catalogModel != null) {
      checkModel(catalogModel, "deployment '" + id + "' catalogModel");
    }
  }

  private static void checkModel(@Nullable String model, String field) {
    Check.nonBlank(model, field);
    int slash = model.indexOf('/');
    Check.that(slash > 0 && slash < model.length() - 1,
        field + " must be provider/model, was '" + model + "'");
  }

  /** A deployment with every default. */
  public static Deployment of(String id, String target) {
    return builder(id, target).build();
  }

  /** A builder for deployment {@code id} serving {@code target} ({@code provider/model}). */
  public static Builder builder(String id, String target) {
    return new Builder(id, target);
  }

  /** A builder holding this deployment's values. */
  public Builder toBuilder() {
    Builder b = new Builder(id, target);
    b.weight = weight;
    b.rpm = rpm;
    b.tpm = tpm;
    b.maxInFlight = maxInFlight;
    b.tags.putAll(tags);
    b.contextWindow = contextWindow;
    b.catalogModel = catalogModel;
    return b;
  }

  /** The provider part of {@link #target}. */
  public String provider() {
    return target.substring(0, target.indexOf('/'));
  }

  /** The model part of {@link #target}, as the provider names it. */
  public String model() {
    return target.substring(target.indexOf('/') + 1);
  }

  /** Builds a {@link Deployment}. Not thread-safe. */
  public static final class Builder {
    private final String id;
    private final String target;
    private int weight = DEFAULT_WEIGHT;
    private @Nullable Long rpm;
    private @Nullable Long tpm;
    private @Nullable Integer maxInFlight;
    private final Map<String, String> tags = new LinkedHashMap<>();
    private @Nullable Integer contextWindow;
    private @Nullable String catalogModel;

    private Builder(String id, String target) {
      this.id = id;
      this.target = target;
    }

    /** The share of calls weighted strategies give it. Defaults to {@value #DEFAULT_WEIGHT}. */
    public Builder weight(int weight) {
      this.weight = weight;
      return this;
    }

    /** Requests per minute it may take. Defaults to null: unlimited. */
    public Builder rpm(@Nullable Long rpm) {
      this.rpm = rpm;
      return this;
    }

    /** Tokens per minute it may take. Defaults to null: unlimited. */
    public Builder tpm(@Nullable Long tpm) {
      this.tpm = tpm;
      return this;
    }

    /** The most calls it may serve at once. Defaults to null: unlimited. */
    public Builder maxInFlight(@Nullable Integer maxInFlight) {
      this.maxInFlight = maxInFlight;
      return this;
    }

    /** Adds a label. Defaults to none. */
    public Builder tag(String key, String value) {
      tags.put(Check.nonBlank(key, "tag key"), Check.nonNull(value, "tag '" + key + "'"));
      return this;
    }

    /** Replaces the labels. */
    public Builder tags(Map<String, String> tags) {
      this.tags.clear();
      this.tags.putAll(Check.copyOf(tags, "tags"));
      return this;
    }

    /**
     * The most tokens it accepts. Defaults to null: the model catalog's value for
     * {@link #catalogModel}, else unknown.
     */
    public Builder contextWindow(@Nullable Integer contextWindow) {
      this.contextWindow = contextWindow;
      return this;
    }

    /** Where the model catalog describes it, {@code provider/model}. Defaults to null: the target. */
    public Builder catalogModel(@Nullable String catalogModel) {
      this.catalogModel = catalogModel;
      return this;
    }

    public Deployment build() {
      return new Deployment(id, target, weight, rpm, tpm, maxInFlight, tags, contextWindow,
          catalogModel);
    }
  }
}
