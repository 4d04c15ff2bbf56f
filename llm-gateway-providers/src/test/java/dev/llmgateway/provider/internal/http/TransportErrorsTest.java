package dev.llmgateway.provider.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import mockwebserver3.MockWebServer;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

class TransportErrorsTest {
  private static final ErrorContext CONTEXT = ErrorContext.of("openai", "gpt-4o");
  private final OkHttpClient client = new OkHttpClient();

  private Call call() {
    return client.newCall(new Request.Builder().url("http://localhost:1/").build());
  }

  @Test
  void connectionFailuresBeforeTheResponseAreProviderUnavailable() {
    for (IOException e : new IOException[] {new ConnectException("Connection refused"),
        new SocketException("Connection reset"), new UnknownHostException("nowhere.invalid")}) {
      LlmException mapped = TransportErrors.beforeStream(e, call(), CallContext.standalone(false), CONTEXT);
      assertThat(mapped).isInstanceOf(ProviderUnavailableException.class).hasCause(e);
      assertThat(mapped.isRetryable()).isTrue();
      assertThat(mapped.provider()).isEqualTo("openai");
    }
  }

  @Test
  void timeoutsAreLlmTimeouts() {
    assertThat(TransportErrors.beforeStream(new SocketTimeoutException("Read timed out"), call(),
        CallContext.standalone(false), CONTEXT)).isInstanceOf(LlmTimeoutException.class);
    Call timedOut = call();
    timedOut.cancel(); // OkHttp's call timeout cancels the call, then throws "timeout"
    assertThat(TransportErrors.beforeStream(new InterruptedIOException("timeout"), timedOut,
        CallContext.standalone(false), CONTEXT)).isInstanceOf(LlmTimeoutException.class);
  }

  @Test
  void failuresAfterTheCallerCancelledAreCallCancelled() {
    CallContext context = CallContext.standalone(false);
    context.cancel();
    assertThat(TransportErrors.beforeStream(new IOException("Canceled"), call(), context, CONTEXT))
        .isInstanceOf(CallCancelledException.class);
    assertThat(TransportErrors.duringStream(new SocketTimeoutException(), call(), context, CONTEXT))
        .isInstanceOf(CallCancelledException.class);
  }

  @Test
  void failuresOfACancelledHttpCallAreCallCancelled() {
    Call cancelled = call();
    cancelled.cancel();
    assertThat(TransportErrors.beforeStream(new IOException("Canceled"), cancelled,
        CallContext.standalone(false), CONTEXT)).isInstanceOf(CallCancelledException.class);
  }

  @Test
  void connectionLossDuringAStreamIsStreamInterrupted() {
    LlmException mapped = TransportErrors.duringStream(new SocketException("Connection reset"), call(),
        CallContext.standalone(true), CONTEXT);
    assertThat(mapped).isInstanceOf(StreamInterruptedException.class);
    assertThat(mapped.getMessage()).contains("openai", "interrupted");
  }

  @Test
  void aRefusedConnectionToARealPortIsProviderUnavailable() throws IOException {
    MockWebServer server = new MockWebServer();
    server.start();
    okhttp3.HttpUrl url = server.url("/");
    server.close(); // nothing listens there any more
    Call call = client.newCall(new Request.Builder().url(url).build());
    LlmException mapped;
    try {
      call.execute().close();
      throw new AssertionError("expected the connection to be refused");
    } catch (IOException e) {
      mapped = TransportErrors.beforeStream(e, call, CallContext.standalone(false), CONTEXT);
    }
    assertThat(mapped).isInstanceOf(ProviderUnavailableException.class);
  }
}
