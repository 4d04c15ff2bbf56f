package dev.llmgateway.provider.internal.http;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatStream;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.error.StreamClosedException;
import dev.llmgateway.error.StreamInterruptedException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.Call;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ChatStream} backed by a streaming OkHttp {@link Response}, the base of every adapter's stream.
 * A subclass decodes one wire event per {@link #readNext()} into {@link ChatChunk}s with {@link #emit} and
 * says when the provider signalled the end with {@link #complete()}; this class does the rest:
 *
 * <ul>
 *   <li>decodes lazily: nothing is read before the caller pulls, and a pull reads only until at least
 *       one chunk is ready, so chunks reach the caller as they arrive and nothing buffers the stream;
 *   <li>emits a {@link ChatChunk.Start} carrying the provider name and request id before any other chunk;
 *   <li>turns an end of input before {@link #complete()} into a {@link StreamInterruptedException} ("stream
 *       ended before ..."), never a silently short answer;
 *   <li>maps read failures with {@link TransportErrors#duringStream} and remembers the first failure,
 *       rethrowing it from later pulls;
 *   <li>{@link #close()} cancels the {@link Call} and closes the body; it is idempotent and may be called
 *       from another thread, which makes a pull blocked in a read fail with
 *       {@link StreamClosedException}. Cancelling the {@link CallContext} cancels the call too.
 * </ul>
 *
 * <p>{@link #next()} is meant for one consumer thread; {@link #close()} for any thread.
 */
public abstract class HttpChatStream implements ChatStream {
  private final Call call;
  private final Response response;
  private final CallContext context;
  private final ErrorContext errorContext;
  private final @Nullable String provider;
  private final @Nullable String requestId;

  private final ArrayDeque<ChatChunk> pending = new ArrayDeque<>();
  private final ReentrantLock readLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  private boolean released; // guarded by readLock
  private boolean startEmitted;
  private boolean complete;
  private volatile boolean ended;
  private @Nullable LlmException failure;

  /**
   * @param call the call that produced {@code response}; cancelled on {@link #close()}
   * @param response a successful response whose body is the stream; closed when the stream ends
   * @param context the call's context; cancelling it cancels {@code call}
   * @param errorContext provider, model, status and request id for the exceptions this stream throws
   */
  protected HttpChatStream(Call call, Response response, CallContext context,
      ErrorContext errorContext) {
    this.call = Objects.requireNonNull(call, "call");
    this.response = Objects.requireNonNull(response, "response");
    this.context = Objects.requireNonNull(context, "context");
    this.errorContext = Objects.requireNonNull(errorContext, "errorContext");
    this.provider = errorContext.provider();
    this.requestId = errorContext.requestId();
    context.onCancel(call::cancel);
  }

  /**
   * Reads and decodes at least one wire event, emitting its chunks, if any, with {@link #emit}.
   *
   * @return false at the end of the input
   */
  protected abstract boolean readNext() throws IOException;

  /**
   * Called once when the input ends before {@link #complete()} was called. Throws
   * {@link StreamInterruptedException} by default; a subclass may call {@link #complete()} instead when
   * the events seen so far make the answer whole.
   */
  protected void endOfInput() {
    throw interrupted("stream ended before " + (provider != null ? provider : "the provider")
        + " said it was complete");
  }

  /** The response this stream reads. */
  protected final Response response() {
    return response;
  }

  /** Provider, model, status and request id, for exceptions thrown while decoding. */
  protected final ErrorContext errorContext() {
    return errorContext;
  }

  /** Queues {@code chunk} for the caller, after a {@link ChatChunk.Start} if none was emitted yet. */
  protected final void emit(ChatChunk chunk) {
    Objects.requireNonNull(chunk, "chunk");
    if (chunk instanceof ChatChunk.Start s) {
      emitStart(s.id(), s.model());
      return;
    }
    if (!startEmitted) {
      emitStart(null, null);
    }
    pending.add(chunk);
  }

  /**
   * Emits the {@link ChatChunk.Start} with the provider name and request id, plus the response id and model
   * when the wire has said them. Only the first call emits; later ones are ignored.
   */
  protected final void emitStart(@Nullable String id, @Nullable String model) {
    if (!startEmitted) {
      startEmitted = true;
      pending.add(new ChatChunk.Start(id, model, provider, requestId));
    }
  }

  /** Records that the provider signalled the end of the stream; the body is released at once. */
  protected final void complete() {
    if (!startEmitted) {
      emitStart(null, null);
    }
    complete = true;
  }

  /** Whether {@link #complete()} was called. */
  protected final boolean isComplete() {
    return complete;
  }

  /** A {@link StreamInterruptedException} with this stream's error context. */
  protected final StreamInterruptedException interrupted(String message) {
    return new StreamInterruptedException(message, errorContext, null);
  }

  @Override
  public final @Nullable ChatChunk next() {
    if (closed.get()) {
      throw new StreamClosedException();
    }
    readLock.lock();
    try {
      while (pending.isEmpty()) {
        if (failure != null) {
          throw failure;
        }
        if (complete) {
          ended = true;
          release();
          return null;
        }
        boolean more;
        try {
          more = readNext();
        } catch (IOException e) {
          throw fail(closed.get() && !context.isCancelled()
              ? new StreamClosedException()
              : TransportErrors.duringStream(e, call, context, errorContext));
        } catch (LlmException e) {
          throw fail(e);
        } catch (RuntimeException e) {
          throw fail(new MalformedResponseException("could not decode the stream of "
              + (provider != null ? provider : "the provider") + ": " + e.getClass().getSimpleName(),
              errorContext, e));
        }
        if (complete) {
          release();
        } else if (!more) {
          try {
            endOfInput();
          } catch (LlmException e) {
            throw fail(e);
          }
          if (!complete) {
            throw fail(interrupted("stream ended before "
                + (provider != null ? provider : "the provider") + " said it was complete"));
          }
          release();
        }
      }
      return pending.poll();
    } finally {
      readLock.unlock();
      if (closed.get()) {
        releaseIfIdle();
      }
    }
  }

  /** Cancels the call and closes the body. Idempotent; safe from any thread. */
  @Override
  public final void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (!ended) {
      call.cancel();
    }
    releaseIfIdle();
  }

  private LlmException fail(LlmException e) {
    failure = e;
    release();
    return e;
  }

  /** Closes the body unless a pull is reading it; that pull closes it when it sees the close. */
  private void releaseIfIdle() {
    if (readLock.tryLock()) {
      try {
        release();
      } finally {
        readLock.unlock();
      }
    }
  }

  private void release() {
    if (!released) {
      released = true;
      response.close();
    }
  }
}
