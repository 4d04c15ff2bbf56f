package dev.llmgateway.routing;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.routing.internal.Randoms;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Picks a candidate at random with probability proportional to its {@link Deployment#weight()}: with
 * weights 1, 2 and 7, about 10%, 20% and 70% of calls. A deployment of weight 0 is picked only when every
 * candidate weighs 0 (then uniformly). With the default weight of 1 everywhere this is a uniform shuffle.
 * The default strategy of a {@link ModelGroup}.
 *
 * <p>Draws from the calling thread's {@link java.util.concurrent.ThreadLocalRandom} unless a generator is
 * injected (for reproducible tests, e.g. {@code new SplittableRandom(42)}).
 */
public final class WeightedRandomStrategy implements RoutingStrategy {
  private final @Nullable RandomGenerator random;

  /** Draws from the calling thread's {@link java.util.concurrent.ThreadLocalRandom}. */
  public WeightedRandomStrategy() {
    this.random = null;
  }

  /** Draws from {@code random}. */
  public WeightedRandomStrategy(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public Deployment choose(List<Deployment> candidates, ChatRequest request, CallContext context,
      DeploymentStats stats) {
    long total = 0;
    for (Deployment d : candidates) {
      total += d.weight();
    }
    if (total == 0) {
      return Randoms.pick(candidates, random);
    }
    long ticket = Randoms.orThreadLocal(random).nextLong(total);
    for (Deployment d : candidates) {
      ticket -= d.weight();
      if (ticket < 0) {
        return d;
      }
    }
    throw new IllegalStateException("unreachable: ticket beyond the total weight " + total);
  }

  @Override
  public String toString() {
    return "WeightedRandomStrategy";
  }
}
