package dev.llmgateway.routing;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.routing.internal.Randoms;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * An A/B split: requests for one model are divided between groups (variants) by percentage, each user
 * sticking to one variant. A {@link GroupSelector}, added to the router like any other.
 *
 * <pre>{@code
 * AbSplit split = AbSplit.builder("claude-trial-2025-06", "chat")
 *     .variant("chat-gpt", 90)      // control
 *     .variant("chat-claude", 10)
 *     .build();
 * RouterInterceptor.builder().group(chatGpt).group(chatClaude).groupSelector(split)...
 * }</pre>
 *
 * <p><b>Sticky assignment</b>: a user's bucket is derived from SHA-256 of the experiment name and the
 * user's key, read as a number modulo {@value #BUCKETS}; the variants own consecutive ranges of buckets
 * in the order they were added, in proportion to their percentages. The same user therefore always
 * gets the same variant of the same experiment (across calls, restarts and instances), while the
 * assignments of different experiments are independent of each other. Changing the percentages moves
 * only the users of the buckets that change hands.
 *
 * <p>The key is the request's {@link dev.llmgateway.RequestMetadata#user()} unless
 * {@link Builder#stickyKey} says otherwise. A request without a key gets a random bucket for this call
 * only.
 */
public final class AbSplit implements GroupSelector {
  /** The number of buckets users are hashed into: {@value}, so percentages may have two decimals. */
  public static final int BUCKETS = 10_000;
  /** The sticky key by default: the request's {@code metadata().user()}. */
  public static final Function<ChatRequest, @Nullable String> DEFAULT_STICKY_KEY =
      request -> request.metadata().user();

  private final String experiment;
  private final String model;
  private final List<Variant> variants;
  private final int[] upperBuckets;
  private final Function<ChatRequest, @Nullable String> stickyKey;
  private final @Nullable RandomGenerator random;

  private AbSplit(Builder b) {
    this.experiment = b.experiment;
    this.model = b.model;
    this.variants = List.copyOf(b.variants);
    this.stickyKey = b.stickyKey;
    this.random = b.random;
    Check.that(variants.size() >= 2, "A/B split '" + experiment + "' needs at least two variants, has "
        + variants.size());
    upperBuckets = new int[variants.size()];
    int upper = 0;
    for (int i = 0; i < variants.size(); i++) {
      upper += variants.get(i).buckets();
      upperBuckets[i] = upper;
    }
    Check.that(upper == BUCKETS, "A/B split '" + experiment + "' percentages must add up to 100, add up"
        + " to " + upper / 100.0);
  }

  /**
   * A split of the requests for {@code model} (the name requests use), under the experiment name
   * {@code experiment}, which seeds the assignment.
   */
  public static Builder builder(String experiment, String model) {
    return new Builder(experiment, model);
  }

  public String experiment() {
    return experiment;
  }

  public String model() {
    return model;
  }

  /** The variants, in order. */
  public List<Variant> variants() {
    return variants;
  }

  @Override
  public @Nullable String select(ChatRequest request) {
    if (!model.equals(request.model())) {
      return null;
    }
    String key = stickyKey.apply(request);
    int bucket = key != null ? bucket(key) : Randoms.orThreadLocal(random).nextInt(BUCKETS);
    return variantOf(bucket);
  }

  /** The group of the variant the user with sticky key {@code key} is in. */
  public String variantFor(String key) {
    return variantOf(bucket(key));
  }

  /** The bucket, 0 to {@value #BUCKETS} - 1, of sticky key {@code key} in this experiment. */
  public int bucket(String key) {
    return bucketOf(experiment, key);
  }

  /**
   * The bucket, 0 to {@value #BUCKETS} - 1, of sticky key {@code key} in the experiment named
   * {@code experiment}: SHA-256 of the experiment name, a zero byte and the key, read as a number
   * modulo {@value #BUCKETS}. Public so that other kinds of experiment (prompt versions, for one)
   * assign users exactly as an {@link AbSplit} of the same name would, with one hashing scheme.
   */
  public static int bucketOf(String experiment, String key) {
    Check.nonNull(experiment, "experiment");
    Check.nonNull(key, "key");
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    sha256.update(experiment.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) 0);
    long bits = ByteBuffer.wrap(sha256.digest(key.getBytes(StandardCharsets.UTF_8))).getLong();
    return (int) Long.remainderUnsigned(bits, BUCKETS);
  }

  private String variantOf(int bucket) {
    for (int i = 0; i < upperBuckets.length; i++) {
      if (bucket < upperBuckets[i]) {
        return variants.get(i).group();
      }
    }
    throw new IllegalStateException("unreachable: bucket " + bucket + " beyond " + BUCKETS);
  }

  @Override
  public String toString() {
    return "AbSplit[" + experiment + ", model=" + model + ", " + variants + "]";
  }

  /**
   * One arm of the split.
   *
   * @param group the group its requests go to
   * @param percent its share of users, above 0 and at most 100, with at most two decimals
   */
  public record Variant(String group, double percent) {
    public Variant {
      Check.nonBlank(group, "variant.group");
      Check.that(percent > 0 && percent <= 100,
          "variant '" + group + "' percent must be in (0, 100], was " + percent);
      Check.that(Math.abs(percent * 100 - Math.rint(percent * 100)) < 1e-6,
          "variant '" + group + "' percent may have at most two decimals, was " + percent);
    }

    int buckets() {
      return (int) Math.rint(percent * 100);
    }
  }

  /** Builds an {@link AbSplit}. Not thread-safe. */
  public static final class Builder {
    private final String experiment;
    private final String model;
    private final List<Variant> variants = new ArrayList<>();
    private final Set<String> groups = new HashSet<>();
    private Function<ChatRequest, @Nullable String> stickyKey = DEFAULT_STICKY_KEY;
    private @Nullable RandomGenerator random;

    private Builder(String experiment, String model) {
      this.experiment = Check.nonBlank(experiment, "experiment");
      this.model = Check.nonBlank(model, "model");
    }

    /** Adds a variant: {@code percent} of users go to {@code group}. The percentages must add up to 100. */
    public Builder variant(String group, double percent) {
      Variant v = new Variant(group, percent);
      Check.that(groups.add(group), "A/B split '" + experiment + "' lists group '" + group + "' twice");
      variants.add(v);
      return this;
    }

    /**
     * What identifies a user, e.g. {@code r -> r.metadata().tenant()} to split by tenant. Defaults to
     * {@link #DEFAULT_STICKY_KEY}, the user.
     */
    public Builder stickyKey(Function<ChatRequest, @Nullable String> stickyKey) {
      this.stickyKey = Check.nonNull(stickyKey, "stickyKey");
      return this;
    }

    /**
     * Draws the bucket of requests without a key. Defaults to the calling thread's
     * {@link java.util.concurrent.ThreadLocalRandom}.
     */
    public Builder random(RandomGenerator random) {
      this.random = Check.nonNull(random, "random");
      return this;
    }

    public AbSplit build() {
      return new AbSplit(this);
    }
  }
}
