package dev.llmgateway.routing;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.routing.internal.Randoms;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Sends each call to the candidate with the most headroom left in the current minute under its
 * {@link Deployment#rpm()} and {@link Deployment#tpm()} capacity, counted by {@link DeploymentStats}.
 *
 * <p>Headroom is a fraction, so that deployments of different sizes fill up in proportion to their
 * capacity: after this call, {@code (rpm - requests - 1) / rpm} for requests and
 * {@code (tpm - tokens - estimated tokens of this request) / tpm} for tokens, the smaller of the two. A
 * deployment without limits has a headroom of 1. Ties go to a random one of the best. A deployment whose
 * headroom is used up is still chosen when every candidate's is (the provider then decides, and a
 * rate-limit answer cools it down).
 */
public final class UsageBasedStrategy implements RoutingStrategy {
  private final TokenEstimator tokens;
  private final @Nullable RandomGenerator random;

  /** Estimates tokens with {@link TokenEstimator#CHARS_OVER_FOUR}; ties broken at random. */
  public UsageBasedStrategy() {
    this(TokenEstimator.CHARS_OVER_FOUR, null);
  }

  /** Estimates tokens with {@code tokens}; ties broken with {@code random} (null for the thread's own). */
  public UsageBasedStrategy(TokenEstimator tokens, @Nullable RandomGenerator random) {
    this.tokens = Check.nonNull(tokens, "tokens");
    this.random = random;
  }

  @Override
  public Deployment choose(List<Deployment> candidates, ChatRequest request, CallContext context,
      DeploymentStats stats) {
    long estimated = Math.max(0, tokens.estimate(request));
    List<Deployment> best = new ArrayList<>();
    double max = Double.NEGATIVE_INFINITY;
    for (Deployment d : candidates) {
      double headroom = headroom(d, stats, estimated);
      if (headroom > max) {
        max = headroom;
        best.clear();
      }
      if (headroom == max) {
        best.add(d);
      }
    }
    return Randoms.pick(best, random);
  }

  /** The smaller fraction of request and token capacity left after a call of {@code estimated} tokens. */
  static double headroom(Deployment d, DeploymentStats stats, long estimated) {
    double headroom = 1.0;
    if (d.rpm() != null) {
      double rpm = d.rpm();
      headroom = Math.min(headroom, (rpm - stats.requestsThisMinute(d.id()) - 1) / rpm);
    }
    if (d.tpm() != null) {
      double tpm = d.tpm();
      headroom = Math.min(headroom, (tpm - stats.tokensThisMinute(d.id()) - estimated) / tpm);
    }
    return headroom;
  }

  @Override
  public String toString() {
    return "UsageBasedStrategy";
  }
}
