package dev.llmgateway.provider.internal.http;

import dev.llmgateway.CallContext;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmTimeoutException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Response;
import okio.BufferedSource;

/** Steps every adapter takes around an OkHttp call, written once. */
public final class ProviderCalls {
  /** The most of an error body an adapter reads: enough for any provider's error JSON. */
  public static final long MAX_ERROR_BODY_BYTES = 64 * 1024;

  private ProviderCalls() {}

  /**
   * Binds {@code call} to its caller: the time left of the caller's deadline ({@code CallOptions.timeout})
   * becomes the call's timeout, and cancelling the context cancels the call.
   *
   * @throws LlmTimeoutException when the deadline passed before the call was sent
   */
  public static Call bindToCaller(Call call, CallContext context, ErrorContext errorContext) {
    Duration timeout = context.options().timeout();
    if (timeout != null) {
      Duration left = timeout.minus(Duration.between(context.startedAt(), Instant.now()));
      if (left.isNegative() || left.isZero()) {
        throw new LlmTimeoutException("the call's deadline of " + timeout
            + " passed before it was sent", errorContext, null);
      }
      call.timeout().timeout(left.toNanos(), TimeUnit.NANOSECONDS);
    }
    context.onCancel(call::cancel);
    return call;
  }

  /** At most {@link #MAX_ERROR_BODY_BYTES} of an error response's body. */
  public static byte[] errorBody(Response response) throws IOException {
    BufferedSource source = response.body().source();
    source.request(MAX_ERROR_BODY_BYTES);
    long size = Math.min(source.getBuffer().size(), MAX_ERROR_BODY_BYTES);
    return source.getBuffer().readByteArray(size);
  }
}
