package dev.llmgateway.provider.openai.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.embedding.EmbeddingRequest;
import dev.llmgateway.embedding.EmbeddingResponse;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.provider.internal.http.ProviderCalls;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.provider.internal.http.TransportErrors;
import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * Makes Chat Completions calls, blocking and streamed, and embeddings calls, for every adapter of that wire format; what differs
 * between them comes in a {@link ChatCompletionsConfig}. Encodes the request with
 * {@link OpenAiRequestEncoder}, authenticates it, bounds it by the caller's deadline, registers
 * cancellation, and maps the answer with {@link OpenAiResponseDecoder} / {@link OpenAiChatStream} and
 * every failure with {@link OpenAiErrorDecoder} or {@link TransportErrors}. Never retries.
 *
 * <p>Thread-safe.
 */
public final class ChatCompletionsClient implements AutoCloseable {
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final ChatCompletionsConfig config;
  private final OkHttpClient httpClient;
  private final boolean ownsHttpClient;
  private final ObjectMapper objectMapper;
  private final OpenAiRequestEncoder encoder;
  private final OpenAiErrorDecoder errors;
  private final OpenAiResponseDecoder decoder;
  private final OpenAiEmbeddingsCodec embeddings;

  /**
   * @param config what the API wants
   * @param httpClient the client to call through, or null for one of this client's own (shut down by
   *     {@link #close()}); a given client with OkHttp's silent retries on is used through a derived one
   *     without them
   * @param objectMapper the JSON mapper, or null for {@link SharedClients#newObjectMapper()}
   */
  public ChatCompletionsClient(ChatCompletionsConfig config, @Nullable OkHttpClient httpClient,
      @Nullable ObjectMapper objectMapper) {
    this.config = Objects.requireNonNull(config, "config");
    this.ownsHttpClient = httpClient == null;
    this.httpClient = httpClient != null
        ? SharedClients.withoutSilentRetries(httpClient)
        : SharedClients.newHttpClient();
    this.objectMapper = objectMapper != null ? objectMapper : SharedClients.newObjectMapper();
    this.encoder = new OpenAiRequestEncoder(this.objectMapper, config.dialect());
    this.errors = new OpenAiErrorDecoder(this.objectMapper, config.providerName(),
        config.auth()::secrets, Clock.systemUTC());
    this.decoder = new OpenAiResponseDecoder(this.objectMapper, errors);
    this.embeddings = new OpenAiEmbeddingsCodec(this.objectMapper, config.dialect(), errors);
  }

  public ChatCompletionsConfig config() {
    return config;
  }

  /** The HTTP client calls go through. */
  public OkHttpClient httpClient() {
    return httpClient;
  }

  /** The JSON mapper bodies are read and written with. */
  public ObjectMapper objectMapper() {
    return objectMapper;
  }

  /** Makes a blocking call. */
  public ChatResponse chat(ChatRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    ErrorContext errorContext = ErrorContext.of(config.providerName(), request.model());
    Call call = newCall(request, false, context, errorContext);
    try (Response response = call.execute()) {
      ErrorContext answered = answered(errorContext, response);
      if (!response.isSuccessful()) {
        throw errorOf(response, answered);
      }
      byte[] body = response.body().bytes();
      return decoder.decode(body, answered, config.providerName(), request.model());
    } catch (IOException e) {
      throw TransportErrors.beforeStream(e, call, context, errorContext);
    }
  }

  /**
   * Embeds the request's inputs with {@code POST .../embeddings} (see
   * {@link ChatCompletionsConfig#embeddingsUrl}), authenticated, bounded and cancellable like a chat
   * call, errors mapped by the same {@link OpenAiErrorDecoder}.
   */
  public EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    ErrorContext errorContext = ErrorContext.of(config.providerName(), request.model());
    Call call = newCall(config.embeddingsUrl(request.model()), embeddings.encodeBytes(request),
        "application/json", context, errorContext);
    try (Response response = call.execute()) {
      ErrorContext answered = answered(errorContext, response);
      if (!response.isSuccessful()) {
        throw errorOf(response, answered);
      }
      byte[] body = response.body().bytes();
      return embeddings.decode(body, answered, config.providerName(), request);
    } catch (IOException e) {
      throw TransportErrors.beforeStream(e, call, context, errorContext);
    }
  }

  /** Opens a stream; returns once the provider answered with its headers. */
  public ChatStream stream(ChatRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    ErrorContext errorContext = ErrorContext.of(config.providerName(), request.model());
    Call call = newCall(request, true, context, errorContext);
    Response response;
    try {
      response = call.execute();
    } catch (IOException e) {
      throw TransportErrors.beforeStream(e, call, context, errorContext);
    }
    ErrorContext answered = answered(errorContext, response);
    try {
      if (!response.isSuccessful()) {
        throw errorOf(response, answered);
      }
      return new OpenAiChatStream(call, response, context, answered, objectMapper, errors);
    } catch (IOException e) {
      response.close();
      throw TransportErrors.beforeStream(e, call, context, answered);
    } catch (RuntimeException e) {
      response.close();
      throw e;
    }
  }

  private ErrorContext answered(ErrorContext errorContext, Response response) {
    return errorContext.withHttpStatus(response.code()).withRequestId(requestIdOf(response));
  }

  private @Nullable String requestIdOf(Response response) {
    for (String name : config.requestIdHeaders()) {
      String value = response.header(name);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return null;
  }

  private Call newCall(ChatRequest request, boolean stream, CallContext context,
      ErrorContext errorContext) {
    return newCall(config.endpoint().forModel(request.model()), encoder.encodeBytes(request, stream),
        stream ? "text/event-stream" : "application/json", context, errorContext);
  }

  private Call newCall(HttpUrl url, byte[] body, String accept, CallContext context,
      ErrorContext errorContext) {
    Request.Builder http = new Request.Builder()
        .url(url)
        .post(RequestBody.create(body, JSON))
        .header("Accept", accept);
    config.auth().apply(http, errorContext);
    config.headers().forEach(http::header);
    return ProviderCalls.bindToCaller(httpClient.newCall(http.build()), context, errorContext);
  }

  private LlmException errorOf(Response response, ErrorContext context) throws IOException {
    byte[] body = ProviderCalls.errorBody(response);
    return errors.fromHttp(response.code(), config.retryHeaders().apply(response.headers()), body,
        response.header("Content-Type"), context);
  }

  /** Shuts down the HTTP client if this created it; a client given to it is left alone. */
  @Override
  public void close() {
    if (ownsHttpClient) {
      httpClient.dispatcher().executorService().shutdown();
      httpClient.connectionPool().evictAll();
    }
  }
}
