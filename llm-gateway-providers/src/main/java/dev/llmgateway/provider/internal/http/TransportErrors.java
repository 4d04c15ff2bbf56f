package dev.llmgateway.provider.internal.http;

import dev.llmgateway.CallContext;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.error.StreamInterruptedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import okhttp3.Call;

/**
 * Maps transport failures ({@link IOException}s from OkHttp) to the exception hierarchy, in this order:
 * the caller cancelled the call ({@link CallContext#cancel()}) gives {@link CallCancelledException}; a
 * connect, read or call timeout gives {@link LlmTimeoutException}; an OkHttp call cancelled some other
 * way gives {@link CallCancelledException}; anything else (connection refused or reset, unknown host,
 * TLS failure) gives {@link ProviderUnavailableException} before the response began, and
 * {@link StreamInterruptedException} once a stream was under way.
 *
 * <p>Messages name the failure kind only; exception messages of the JDK carry host names, never keys.
 */
public final class TransportErrors {
  private TransportErrors() {}

  /** A failure while sending the request or reading a non-streamed response. */
  public static LlmException beforeStream(IOException e, Call call, CallContext context,
      ErrorContext errorContext) {
    LlmException common = common(e, call, context, errorContext);
    if (common != null) {
      return common;
    }
    return new ProviderUnavailableException("could not reach " + name(errorContext) + ": "
        + describe(e), errorContext, e);
  }

  /** A failure while reading a stream that had begun. */
  public static LlmException duringStream(IOException e, Call call, CallContext context,
      ErrorContext errorContext) {
    LlmException common = common(e, call, context, errorContext);
    if (common != null) {
      return common;
    }
    return new StreamInterruptedException("stream from " + name(errorContext)
        + " was interrupted: " + describe(e), errorContext, e);
  }

  /** Whether {@code e} is a timeout: a socket timeout, or OkHttp's call timeout. */
  public static boolean isTimeout(IOException e) {
    return e instanceof SocketTimeoutException
        || (e instanceof InterruptedIOException && "timeout".equals(e.getMessage()));
  }

  private static @org.jspecify.annotations.Nullable LlmException common(IOException e, Call call,
      CallContext context, ErrorContext errorContext) {
    if (context.isCancelled()) {
      return new CallCancelledException("the call " + context.callId() + " was cancelled",
          errorContext, e);
    }
    if (isTimeout(e)) {
      return new LlmTimeoutException(name(errorContext) + " did not answer in time: "
          + describe(e), errorContext, e);
    }
    if (call.isCanceled()) {
      return new CallCancelledException("the HTTP call to " + name(errorContext) + " was cancelled",
          errorContext, e);
    }
    return null;
  }

  private static String describe(IOException e) {
    String kind;
    if (e instanceof ConnectException) {
      kind = "connection refused";
    } else if (e instanceof UnknownHostException) {
      kind = "unknown host";
    } else if (e instanceof NoRouteToHostException) {
      kind = "no route to host";
    } else {
      kind = e.getClass().getSimpleName();
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? kind : kind + " (" + message + ")";
  }

  private static String name(ErrorContext errorContext) {
    return errorContext.provider() != null ? errorContext.provider() : "the provider";
  }
}
