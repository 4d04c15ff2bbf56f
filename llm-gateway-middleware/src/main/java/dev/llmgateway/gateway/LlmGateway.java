package dev.llmgateway.gateway;

import dev.llmgateway.CallContext;
import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatClient;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatResponseAccumulator;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import dev.llmgateway.StreamHandler;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.cost.CostInterceptor;
import dev.llmgateway.embedding.EmbeddingClient;
import dev.llmgateway.embedding.EmbeddingRequest;
import dev.llmgateway.embedding.EmbeddingResponse;
import dev.llmgateway.error.CallCancelledException;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.UnsupportedFeatureException;
import dev.llmgateway.gateway.internal.Deadline;
import dev.llmgateway.gateway.internal.InterceptorChain;
import dev.llmgateway.gateway.internal.ListenerFanOut;
import dev.llmgateway.gateway.internal.ObservedCall;
import dev.llmgateway.gateway.internal.ProviderCall;
import dev.llmgateway.gateway.internal.ProviderRegistry;
import dev.llmgateway.internal.Require;
import dev.llmgateway.routing.ModelGroup;
import dev.llmgateway.routing.RouterInterceptor;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.EmbeddingProvider;
import dev.llmgateway.spi.SharedResources;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The gateway: a thread-safe {@link ChatClient} that sends every call through the configured
 * {@link Interceptor}s, in the builder's order, to the provider the request's model names. Blocking,
 * async and streaming calls pass through the same interceptors.
 *
 * <pre>{@code
 * try (LlmGateway gateway = LlmGateway.builder()
 *     .alias("fast", "openai/gpt-4o-mini")
 *     .addInterceptor(myInterceptor)
 *     .build()) {
 *   ChatResponse answer = gateway.chat(ChatRequest.builder().model("fast").user("Hi").build());
 * }
 * }</pre>
 *
 * <p><b>Attempts.</b> When the request's model names a model group, the router records each deployment
 * it sent the call to, with the outcome and the time spent, and the gateway copies that record onto the
 * answer: {@link ChatResponse#attempts()} of a blocking or async call, of the response a callback stream
 * completes with ({@link StreamHandler#onComplete} and the returned future), and of the response
 * {@link ChatEventListener#onCallEnd} receives. A pull stream ({@link #stream(ChatRequest, CallOptions)})
 * hands out chunks, not a response: its attempts are visible to listeners ({@code onAttempt},
 * {@code onRetry}, {@code onFallback}, and {@code onCallEnd}'s response) and in the call's
 * {@link CallContext} under {@link RouterInterceptor#ATTEMPTS}; and {@link ChatStream#collect()} on the
 * gateway's stream assembles the answer with them, its cost and its cache information, as a blocking call
 * would return it. When every deployment failed or is cooling down, the
 * {@link dev.llmgateway.error.NoDeploymentAvailableException} lists them in its {@code attemptLog()}.
 *
 * <p><b>Cost.</b> When an accounting interceptor priced the call ({@link CostInterceptor},
 * {@link dev.llmgateway.ledger.AccountingInterceptor} or {@link dev.llmgateway.budget.BudgetInterceptor},
 * installed with {@link LlmGatewayBuilder#addInterceptor(Interceptor)}), the gateway copies its {@link CostInterceptor#COST} onto
 * the answer the same way: {@link ChatResponse#cost()} of a blocking or async call, of the response a
 * callback stream completes with, and of the response {@link ChatEventListener#onCallEnd} receives. It is
 * null when the call was not priced (no such interceptor, or a model without a known price). A pull
 * stream's cost is, at its end, in the call's {@link CallContext} under {@link CostInterceptor#COST} and on
 * the response {@code onCallEnd} receives; {@link ChatStream#collect()} assembles the answer without it.
 *
 * <p>Build one per application and share it; {@link #close()} releases the threads, providers and
 * connection pools it created (never those the host passed in).
 *
 * <p>It is also an {@link EmbeddingClient}: {@link #embed(EmbeddingRequest, CallOptions)} resolves the
 * model like a chat call (aliases, {@code provider/model}, the default provider) and calls the provider
 * directly when it is an {@link EmbeddingProvider}, under the same keys and HTTP client as its chat
 * calls. Embeddings do not pass through the interceptors, which are written for chat requests and
 * responses (a later issue may add embedding interceptors), and are not reported to the
 * {@link ChatEventListener}s, whose methods speak of chat requests and responses; the call's timeout and
 * cancellation apply as for chat.
 */
public final class LlmGateway implements ChatClient, EmbeddingClient {
  private final List<Interceptor> interceptors;
  private final @Nullable RouterInterceptor router;
  private final ListenerFanOut events;
  private final ProviderRegistry providers;
  private final ProviderCall terminal;
  private final ModelCatalog modelCatalog;
  private final ExecutorService executor;
  private final boolean ownsExecutor;
  private final ScheduledExecutorService scheduler;
  private final SharedResources resources;
  private final AtomicBoolean closed = new AtomicBoolean();

  LlmGateway(List<Interceptor> interceptors, @Nullable RouterInterceptor router, ListenerFanOut events,
      ProviderRegistry providers, ProviderCall terminal, ModelCatalog modelCatalog,
      ExecutorService executor, boolean ownsExecutor, ScheduledExecutorService scheduler,
      SharedResources resources) {
    this.interceptors = List.copyOf(interceptors);
    this.router = router;
    this.events = events;
    this.providers = providers;
    this.terminal = terminal;
    this.modelCatalog = modelCatalog;
    this.executor = executor;
    this.ownsExecutor = ownsExecutor;
    this.scheduler = scheduler;
    this.resources = resources;
  }

  /** A new builder with every default. */
  public static LlmGatewayBuilder builder() {
    return new LlmGatewayBuilder();
  }

  /**
   * The interceptors, outermost first: the host's and the built-in ones the builder installed (timeouts,
   * hedging, router, retries), in the order {@link InterceptorPosition} describes.
   */
  public List<Interceptor> interceptors() {
    return interceptors;
  }

  /**
   * The router the builder installed for its model groups ({@link LlmGatewayBuilder#modelGroup}), e.g. to
   * read its {@link RouterInterceptor#stats()} or {@link RouterInterceptor#health()}; null when no group
   * is configured.
   */
  public @Nullable RouterInterceptor router() {
    return router;
  }

  /** The model groups of the installed router, by name, in the order added; empty without a router. */
  public Map<String, ModelGroup> modelGroups() {
    return router == null ? Map.of() : router.groups();
  }

  /** The listeners, in the order they are called (the logging listener first when enabled). */
  public List<ChatEventListener> listeners() {
    return events.listeners();
  }

  /** The names of every provider this gateway can reach. */
  public Set<String> providerNames() {
    return providers.names();
  }

  /**
   * The model catalog requests are checked against before each provider call (and that cost accounting
   * reads prices from); see {@link LlmGatewayBuilder#modelCatalog(ModelCatalog)}.
   */
  public ModelCatalog modelCatalog() {
    return modelCatalog;
  }

  /**
   * Which provider and native model {@code model} resolves to: for an alias, its target; for
   * {@code provider/model}, itself; for a model group, its first deployment's target (the one a chat call
   * goes to when all are healthy and the group's strategy prefers the first, and the one
   * {@link #embed(EmbeddingRequest, CallOptions)} uses); for another name, that model of the default
   * provider. A chat call to a group is routed by the router, which may choose another deployment.
   *
   * @throws dev.llmgateway.error.InvalidRequestException when {@code model} resolves to no provider
   */
  public ModelRef resolve(String model) {
    Require.nonBlank(model, "model");
    ModelGroup group = router == null ? null : router.groups().get(model);
    if (group != null) {
      return terminal.resolve(group.deployments().get(0).target());
    }
    return terminal.resolve(model);
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallOptions options) {
    return chat(request, newContext(request, options, false));
  }

  private ChatResponse chat(ChatRequest request, CallContext context) {
    ObservedCall call = new ObservedCall(context, Deadline.start(context, scheduler));
    try {
      return call.completed(new InterceptorChain(interceptors, 0, context, terminal).proceed(request));
    } catch (LlmException e) {
      throw call.failed(e);
    } catch (RuntimeException | Error e) {
      call.abandon();
      throw e;
    }
  }

  @Override
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request, CallOptions options) {
    CallContext context = newContext(request, options, false);
    CompletableFuture<ChatResponse> future = cancellingFuture(context, null);
    submit(future, () -> future.complete(chat(request, context)));
    return future;
  }

  @Override
  public ChatStream stream(ChatRequest request, CallOptions options) {
    return stream(request, newContext(request, options, true));
  }

  private ChatStream stream(ChatRequest request, CallContext context) {
    ObservedCall call = new ObservedCall(context, Deadline.start(context, scheduler));
    ChatStream stream;
    try {
      stream = new InterceptorChain(interceptors, 0, context, terminal).asStreamChain().proceed(request);
    } catch (LlmException e) {
      throw call.failed(e);
    } catch (RuntimeException | Error e) {
      call.abandon();
      throw e;
    }
    return call.observe(stream);
  }

  @Override
  public CompletableFuture<ChatResponse> stream(ChatRequest request, CallOptions options,
      StreamHandler handler) {
    Require.nonNull(handler, "handler");
    CallContext context = newContext(request, options, true);
    AtomicReference<@Nullable ChatStream> open = new AtomicReference<>();
    CompletableFuture<ChatResponse> future = cancellingFuture(context, open);
    submit(future, () -> {
      ChatStream stream = stream(request, context);
      open.set(stream);
      if (future.isCancelled()) {
        stream.close();
        return;
      }
      ChatResponseAccumulator accumulator = new ChatResponseAccumulator();
      try (stream) {
        for (ChatChunk chunk = stream.next(); chunk != null; chunk = stream.next()) {
          accumulator.accept(chunk);
          handler.onChunk(chunk);
        }
      } catch (LlmException e) {
        if (!future.isCancelled()) {
          handler.onError(e);
        }
        throw e;
      }
      ChatResponse response = ObservedCall.finished(context, accumulator.build());
      handler.onComplete(response);
      future.complete(response);
    });
    return future;
  }

  private CallContext newContext(ChatRequest request, CallOptions options, boolean streaming) {
    Require.nonNull(request, "request");
    Require.nonNull(options, "options");
    if (closed.get()) {
      throw new IllegalStateException("this LlmGateway is closed");
    }
    CallContext context = CallContext.create(options, events, streaming);
    events.onCallStart(context, request);
    return context;
  }

  /**
   * Embeds the request's inputs with {@link CallOptions#DEFAULT}; see
   * {@link #embed(EmbeddingRequest, CallOptions)}.
   */
  @Override
  public EmbeddingResponse embed(EmbeddingRequest request) {
    return embed(request, CallOptions.DEFAULT);
  }

  /**
   * Embeds the request's inputs with the provider its model resolves to, as {@link #resolve} says
   * (aliases, {@code provider/model}, the default provider); the provider gets its own model name.
   *
   * <p>Unlike chat calls, embeddings go straight to the provider: no interceptor sees them (no retry,
   * routing, cache or limits), and no {@link ChatEventListener} hears of them. The options' timeout
   * bounds the call: when it passes, the HTTP call is cancelled and an {@link LlmTimeoutException} is
   * thrown. Typed options are not read.
   *
   * @throws UnsupportedFeatureException naming the provider when it has no embeddings (it does not
   *     implement {@link EmbeddingProvider}), before anything is sent
   * @throws dev.llmgateway.error.InvalidRequestException when the model resolves to no provider
   * @throws IllegalStateException when the gateway is closed
   */
  public EmbeddingResponse embed(EmbeddingRequest request, CallOptions options) {
    Require.nonNull(request, "request");
    Require.nonNull(options, "options");
    if (closed.get()) {
      throw new IllegalStateException("this LlmGateway is closed");
    }
    ModelRef ref = resolve(request.model());
    ChatProvider provider = providers.get(ref.provider());
    if (!(provider instanceof EmbeddingProvider embedder)) {
      throw new UnsupportedFeatureException("provider " + ref.provider() + " does not support embeddings"
          + " (model " + request.model() + ")", ErrorContext.of(ref.provider(), ref.model()), null);
    }
    EmbeddingRequest nativeRequest =
        ref.model().equals(request.model()) ? request : request.withModel(ref.model());
    CallContext context = CallContext.create(options, ChatEventListener.NONE, false);
    Deadline deadline = Deadline.start(context, scheduler);
    try {
      EmbeddingResponse response = embedder.embed(nativeRequest, context);
      return Objects.requireNonNull(response,
          () -> "provider " + ref.provider() + " returned a null embedding response");
    } catch (LlmException e) {
      throw deadline.translate(e);
    } finally {
      deadline.stop();
    }
  }

  /** A future whose cancellation cancels the call (and closes its stream, if one is open). */
  private static CompletableFuture<ChatResponse> cancellingFuture(CallContext context,
      @Nullable AtomicReference<@Nullable ChatStream> stream) {
    return new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        context.cancel();
        ChatStream open = stream == null ? null : stream.get();
        if (open != null) {
          open.close();
        }
        return cancelled;
      }
    };
  }

  private void submit(CompletableFuture<ChatResponse> future, Runnable work) {
    try {
      executor.execute(() -> {
        if (future.isDone()) {
          return;
        }
        try {
          work.run();
        } catch (CallCancelledException e) {
          future.completeExceptionally(e); // no-op when the caller cancelled the future itself
        } catch (RuntimeException | Error e) {
          future.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(new IllegalStateException("the gateway's executor rejected the call", e));
    }
  }

  /** Closes the providers, threads and shared resources this gateway created. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (ownsExecutor) {
      executor.shutdownNow();
    }
    scheduler.shutdownNow();
    providers.close();
    resources.close();
  }
}
