package dev.llmgateway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.embedding.EmbeddingRequest;
import dev.llmgateway.embedding.EmbeddingResponse;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.spi.EmbeddingProvider;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/** Checks every embedding adapter shares: cancellation before and during the HTTP call. */
public final class EmbeddingCalls {
  private EmbeddingCalls() {}

  /**
   * A call under an already cancelled context fails with {@link CallCancelledException}; cancelling a
   * context while its call waits for the server aborts the call with the same exception.
   */
  public static void assertCancellationAbortsTheCall(MockWebServer server, EmbeddingProvider provider,
      EmbeddingRequest request) throws Exception {
    CallContext cancelled = CallContext.standalone(false);
    cancelled.cancel();
    assertThatThrownBy(() -> provider.embed(request, cancelled))
        .isInstanceOf(CallCancelledException.class);

    // The server holds its answer back; the test never waits on that delay, only on the request arriving.
    server.enqueue(new MockResponse.Builder().code(200).headersDelay(10, TimeUnit.MINUTES)
        .body("{}").build());
    CallContext context = CallContext.standalone(false);
    CompletableFuture<EmbeddingResponse> call =
        CompletableFuture.supplyAsync(() -> provider.embed(request, context));
    server.takeRequest(); // the request reached the server: the call is in flight
    context.cancel();
    // the bound only keeps a broken cancellation from hanging the build; it is not what is tested
    assertThatThrownBy(() -> call.get(1, TimeUnit.MINUTES))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(CallCancelledException.class);
    assertThat(context.isCancelled()).isTrue();
  }
}
