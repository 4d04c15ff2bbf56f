package dev.llmgateway.gateway.internal;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Usage;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.LlmException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Reports a call's end to the listener and stops its deadline: for blocking calls through
 * {@link #completed}/{@link #failed}, for streams by wrapping the outermost stream.
 */
public final class ObservedCall {
  private final CallContext context;
  private final Deadline deadline;
  private final long startNanos = System.nanoTime();

  public ObservedCall(CallContext context, Deadline deadline) {
    this.context = context;
    this.deadline = deadline;
  }

  private Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  public ChatResponse completed(ChatResponse response) {
    deadline.stop();
    if (!response.usage().equals(Usage.ZERO)) {
      context.events().onUsage(context, response.usage());
    }
    context.events().onCallEnd(context, response, elapsed());
    return response;
  }

  /** Reports the failure and returns the exception the caller should see. */
  public LlmException failed(LlmException error) {
    deadline.stop();
    LlmException reported = deadline.translate(error);
    context.events().onCallFailed(context, reported, elapsed());
    return reported;
  }

  /** Stops the deadline of a call that ended with a host bug (not an {@link LlmException}). */
  public void abandon() {
    deadline.stop();
  }

  /** Wraps the stream the pipeline returned so its first chunk and its end are reported. */
  public ChatStream observe(ChatStream stream) {
    AtomicBoolean first = new AtomicBoolean(true);
    ChatStream observed = stream
        .peek(chunk -> {
          if (first.compareAndSet(true, false)) {
            context.events().onFirstChunk(context, elapsed());
          }
        })
        .observeEnd(new ChatStream.StreamObserver() {
          @Override
          public void onComplete(ChatResponse response) {
            completed(response);
          }

          @Override
          public void onError(LlmException error, ChatResponse partial) {
            failed(error);
          }

          @Override
          public void onClosedEarly(ChatResponse partial) {
            failed(new CallCancelledException("the stream was closed before its end"));
          }
        });
    return new ChatStream() {
      @Override
      public @Nullable ChatChunk next() {
        try {
          return observed.next();
        } catch (LlmException e) {
          throw deadline.translate(e);
        }
      }

      @Override
      public void close() {
        observed.close();
      }
    };
  }
}
