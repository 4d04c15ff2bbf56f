package dev.llmgateway.routing.internal;

import dev.llmgateway.routing.Deployment;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/** Random choices for strategies: an injected generator, or the calling thread's own. */
public final class Randoms {
  private Randoms() {}

  /** {@code injected}, or the current thread's {@link ThreadLocalRandom} when none was injected. */
  public static RandomGenerator orThreadLocal(@Nullable RandomGenerator injected) {
    return injected != null ? injected : ThreadLocalRandom.current();
  }

  /** One of {@code ties}, uniformly; the only one without drawing when there is one. */
  public static Deployment pick(List<Deployment> ties, @Nullable RandomGenerator injected) {
    return ties.size() == 1 ? ties.get(0) : ties.get(orThreadLocal(injected).nextInt(ties.size()));
  }
}
