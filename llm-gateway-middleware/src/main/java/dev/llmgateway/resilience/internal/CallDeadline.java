package dev.llmgateway.resilience.internal;

import dev.llmgateway.CallContext;
import dev.llmgateway.resilience.TimeoutInterceptor;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** When a call must be over: the earlier of its {@code CallOptions} timeout and a timeout policy's. */
public final class CallDeadline {
  private CallDeadline() {}

  /** The call's deadline, or null when nothing bounds it. */
  public static @Nullable Instant of(CallContext context) {
    Duration timeout = context.options().timeout();
    Instant byOptions = timeout == null ? null : context.startedAt().plus(timeout);
    Instant byPolicy = context.get(TimeoutInterceptor.DEADLINE);
    if (byOptions == null) {
      return byPolicy;
    }
    return byPolicy == null || byOptions.isBefore(byPolicy) ? byOptions : byPolicy;
  }
}
