package dev.llmgateway.prompt;

import dev.llmgateway.RequestMetadata;
import dev.llmgateway.routing.AbSplit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * An experiment on one prompt: its traffic is split by percentage between variants, each a prompt
 * version and/or a model group, and each user sticks to one variant. Registered on a
 * {@link PromptRegistry}, it applies when a caller asks for the prompt by name ({@code "summarize"});
 * a caller who pins a version ({@code "summarize@3"}) gets that version, outside the experiment.
 *
 * <pre>{@code
 * PromptExperiment trial = PromptExperiment.builder("summarize-v4-trial", "summarize")
 *     .variant("control", 3, null, 70)              // summarize@3 on its own model group
 *     .variant("v4-smart", 4, "chat-smart", 30)     // summarize@4 on chat-smart
 *     .build();
 * }</pre>
 *
 * <p><b>Sticky assignment</b> is exactly that of the router's {@link AbSplit}
 * ({@link AbSplit#bucketOf}): SHA-256 of the experiment's name and the user's key, modulo
 * {@value AbSplit#BUCKETS} buckets; the variants own consecutive ranges of buckets in the order they were
 * added, in proportion to their percentages. The same user always gets the same variant of the same
 * experiment, on every instance and after restarts; renaming the experiment reshuffles everyone. A call
 * without a key (no user) gets a random bucket for that call only, and its {@link Assignment} says it was
 * not sticky.
 *
 * <p>The variant is recorded on the response ({@link PromptResponse#variant()}) and in the request's
 * metadata tags {@code prompt.experiment} and {@code prompt.variant}, which usage records carry, so a
 * {@code UsageLedger} can compare the variants' cost and latency:
 * {@code UsageQuery.builder(from, to).groupBy(Dimension.tag("prompt.variant"))}.
 */
public final class PromptExperiment {
  /** The sticky key by default: the request metadata's {@link RequestMetadata#user() user}. */
  public static final Function<RequestMetadata, @Nullable String> DEFAULT_STICKY_KEY =
      RequestMetadata::user;

  private final String name;
  private final String prompt;
  private final List<Variant> variants;
  private final int[] upperBuckets;
  private final Function<RequestMetadata, @Nullable String> stickyKey;
  private final @Nullable RandomGenerator random;

  private PromptExperiment(Builder b) {
    this.name = b.name;
    this.prompt = b.prompt;
    this.variants = List.copyOf(b.variants);
    this.stickyKey = b.stickyKey;
    this.random = b.random;
    check(variants.size() >= 2, "variants", "needs at least two variants, has " + variants.size());
    upperBuckets = new int[variants.size()];
    int upper = 0;
    for (int i = 0; i < variants.size(); i++) {
      upper += variants.get(i).buckets();
      upperBuckets[i] = upper;
    }
    check(upper == AbSplit.BUCKETS, "variants",
        "percentages must add up to 100, add up to " + upper / 100.0);
  }

  private void check(boolean condition, String field, String message) {
    if (!condition) {
      throw new PromptDefinitionException(null, field, "experiment '" + name + "' " + message);
    }
  }

  /**
   * An experiment named {@code name} (which seeds the assignment and is recorded in usage) on the prompt
   * named {@code prompt}.
   */
  public static Builder builder(String name, String prompt) {
    return new Builder(name, prompt);
  }

  /** The experiment's name. */
  public String name() {
    return name;
  }

  /** The name of the prompt it splits. */
  public String prompt() {
    return prompt;
  }

  /** The variants, in order. */
  public List<Variant> variants() {
    return variants;
  }

  /** What identifies a user. */
  public Function<RequestMetadata, @Nullable String> stickyKey() {
    return stickyKey;
  }

  /** The variant of the call with {@code metadata}: sticky when it has a key, random otherwise. */
  public Assignment assign(RequestMetadata metadata) {
    String key = stickyKey.apply(metadata);
    if (key != null) {
      int bucket = AbSplit.bucketOf(name, key);
      return new Assignment(name, variantOf(bucket).name(), bucket, true);
    }
    RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
    int bucket = r.nextInt(AbSplit.BUCKETS);
    return new Assignment(name, variantOf(bucket).name(), bucket, false);
  }

  /** The variant of the user whose sticky key is {@code key}. */
  public Variant variantFor(String key) {
    Objects.requireNonNull(key, "key");
    return variantOf(AbSplit.bucketOf(name, key));
  }

  /** The variant named {@code variant}. */
  public Variant variant(String variant) {
    for (Variant v : variants) {
      if (v.name().equals(variant)) {
        return v;
      }
    }
    throw new IllegalArgumentException("experiment '" + name + "' has no variant '" + variant + "'");
  }

  private Variant variantOf(int bucket) {
    for (int i = 0; i < upperBuckets.length; i++) {
      if (bucket < upperBuckets[i]) {
        return variants.get(i);
      }
    }
    throw new IllegalStateException("unreachable: bucket " + bucket + " beyond " + AbSplit.BUCKETS);
  }

  @Override
  public String toString() {
    return "PromptExperiment[" + name + ", prompt=" + prompt + ", " + variants + "]";
  }

  /**
   * One arm of an experiment: what its users get instead of the prompt's current version on its own
   * model group.
   *
   * @param name the variant's name, recorded in the {@code prompt.variant} tag, e.g. {@code control}
   * @param version the prompt version its users get; null for the version marked current
   * @param modelGroup the model group its users are sent to; null for the version's own
   * @param percent its share of users, above 0 and at most 100, with at most two decimals
   */
  public record Variant(String name, @Nullable Integer version, @Nullable String modelGroup,
      double percent) {
    public Variant {
      if (name == null || name.isBlank()) {
        throw new PromptDefinitionException(null, "name", "a variant's name must not be blank");
      }
      if (version != null && version < 1) {
        throw new PromptDefinitionException(null, "version",
            "variant '" + name + "': must be at least 1, was " + version);
      }
      if (modelGroup != null && modelGroup.isBlank()) {
        throw new PromptDefinitionException(null, "modelGroup",
            "variant '" + name + "': must not be blank (null for the version's own)");
      }
      if (!(percent > 0 && percent <= 100)) {
        throw new PromptDefinitionException(null, "percent",
            "variant '" + name + "': must be in (0, 100], was " + percent);
      }
      if (Math.abs(percent * 100 - Math.rint(percent * 100)) > 1e-6) {
        throw new PromptDefinitionException(null, "percent",
            "variant '" + name + "': may have at most two decimals, was " + percent);
      }
    }

    int buckets() {
      return (int) Math.rint(percent * 100);
    }
  }

  /**
   * The variant a call was assigned.
   *
   * @param experiment the experiment's name
   * @param variant the variant's name
   * @param bucket the bucket, 0 to {@value AbSplit#BUCKETS} - 1, that chose it
   * @param sticky true when the bucket came from the call's sticky key; false when the call had none
   *     and the bucket was drawn at random
   */
  public record Assignment(String experiment, String variant, int bucket, boolean sticky) {
    public Assignment {
      Objects.requireNonNull(experiment, "experiment");
      Objects.requireNonNull(variant, "variant");
      if (bucket < 0 || bucket >= AbSplit.BUCKETS) {
        throw new IllegalArgumentException("bucket must be in [0, " + AbSplit.BUCKETS + "), was "
            + bucket);
      }
    }
  }

  /** Builds a {@link PromptExperiment}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final String prompt;
    private final List<Variant> variants = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private Function<RequestMetadata, @Nullable String> stickyKey = DEFAULT_STICKY_KEY;
    private @Nullable RandomGenerator random;

    private Builder(String name, String prompt) {
      if (name == null || name.isBlank()) {
        throw new PromptDefinitionException(null, "name", "an experiment's name must not be blank");
      }
      Prompt.checkName(prompt);
      this.name = name;
      this.prompt = prompt;
    }

    /** Adds a variant. The percentages must add up to 100. */
    public Builder variant(Variant variant) {
      Objects.requireNonNull(variant, "variant");
      if (!names.add(variant.name())) {
        throw new PromptDefinitionException(null, "variants",
            "experiment '" + name + "' lists variant '" + variant.name() + "' twice");
      }
      variants.add(variant);
      return this;
    }

    /**
     * Adds a variant: {@code percent} of users get {@code version} (null: the current one) on
     * {@code modelGroup} (null: the version's own).
     */
    public Builder variant(String variant, @Nullable Integer version, @Nullable String modelGroup,
        double percent) {
      return variant(new Variant(variant, version, modelGroup, percent));
    }

    /**
     * What identifies a user, e.g. {@code RequestMetadata::tenant} to split by tenant. Defaults to
     * {@link #DEFAULT_STICKY_KEY}, the user.
     */
    public Builder stickyKey(Function<RequestMetadata, @Nullable String> stickyKey) {
      this.stickyKey = Objects.requireNonNull(stickyKey, "stickyKey");
      return this;
    }

    /**
     * Draws the bucket of calls without a key. Defaults to the calling thread's
     * {@link ThreadLocalRandom}.
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Builds the experiment.
     *
     * @throws PromptDefinitionException with fewer than two variants or percentages that do not add
     *     up to 100
     */
    public PromptExperiment build() {
      return new PromptExperiment(this);
    }
  }
}
