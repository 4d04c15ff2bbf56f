package dev.llmgateway.provider.ollama;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.embedding.EmbeddingRequest;
import dev.llmgateway.embedding.EmbeddingResponse;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.provider.HttpProviderBuilder;
import dev.llmgateway.provider.internal.http.ProviderCalls;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.provider.internal.http.TransportErrors;
import dev.llmgateway.provider.ollama.internal.OllamaChatStream;
import dev.llmgateway.provider.ollama.internal.OllamaEmbeddingsCodec;
import dev.llmgateway.provider.ollama.internal.OllamaErrorDecoder;
import dev.llmgateway.provider.ollama.internal.OllamaRequestEncoder;
import dev.llmgateway.provider.ollama.internal.OllamaResponseDecoder;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.EmbeddingProvider;
import dev.llmgateway.spi.ProviderCapabilities;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.spi.SharedResources;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ChatProvider} for Ollama's native chat API ({@code POST {baseUrl}/api/chat}), blocking and
 * streamed, for a local Ollama server or Ollama's cloud. Build one with {@link #builder()}, or let
 * {@link OllamaProviderFactory} create it from gateway settings (it honours {@code OLLAMA_HOST}).
 *
 * <p>Why the native API rather than Ollama's OpenAI-compatible {@code /v1}: only the native API takes
 * Ollama's own options ({@code num_ctx}, {@code keep_alive}, {@code think}), structured output as a
 * schema in {@code format}, and returns the thinking text apart. Its wire: a JSON body; tool calls arrive
 * whole with arguments as JSON objects and, from older servers, without ids; streams are NDJSON (one JSON
 * object per line) ending with a {@code done: true} line that carries the finish reason and token counts.
 * Mapping rules are documented on the internal encoder, decoder and stream. Note that Ollama truncates an
 * over-long prompt to its context window silently by default; send the provider option
 * {@code truncate: false} to be told with a
 * {@link dev.llmgateway.error.ContextLengthExceededException} instead, or raise {@code num_ctx} with the
 * provider option {@code options: {num_ctx: ...}}.
 *
 * <p>A local server needs no key. For Ollama's cloud ({@code https://ollama.com}) set an API key, sent as
 * {@code Authorization: Bearer} (several keys rotate per call). Extra headers are sent after the standard
 * ones and replace one of the same name. A server that cannot be reached (Ollama not running) gives a
 * {@link ProviderUnavailableException} naming the base URL. The provider never retries; cancelling the
 * {@link CallContext} cancels the HTTP call, and the context's timeout, if any, bounds it. Errors never
 * carry a key. Thread-safe.
 *
 * <p>Also an {@link EmbeddingProvider}: {@link #embed} posts every input in one {@code {baseUrl}/api/embed}
 * call, e.g. with {@code nomic-embed-text} or {@code embeddinggemma}.
 */
public final class OllamaChatProvider implements ChatProvider, EmbeddingProvider {

  /** The provider name used in model strings. */
  public static final String DEFAULT_PROVIDER_NAME = "ollama";

  /**
   * Where a local Ollama server listens by default; requests go to {@code {baseUrl}/api/chat}. The
   * factory uses {@code OLLAMA_HOST} instead when it is set.
   */
  public static final String DEFAULT_BASE_URL = "http://localhost:11434";

  /** The {@code keep_alive} sent: none, so the server's own setting (5 minutes unless configured) applies. */
  public static final @Nullable Duration DEFAULT_KEEP_ALIVE = null;

  /**
   * What the wire can express: tools, images (base64), JSON-schema output and streamed usage. Whether a
   * given model supports tools or images is the model's business; Ollama answers HTTP 400 when not.
   */
  public static final ProviderCapabilities CAPABILITIES =
      new ProviderCapabilities(true, true, true, true);

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final String name;
  private final String baseUrl;
  private final HttpUrl chatUrl;
  private final HttpUrl embedUrl;
  private final List<Secret> apiKeys;
  private final Map<String, String> headers;
  private final @Nullable Duration keepAlive;
  private final OkHttpClient httpClient;
  private final ObjectMapper mapper;
  private final @Nullable SharedResources ownedResources;
  private final OllamaRequestEncoder encoder;
  private final OllamaErrorDecoder errors;
  private final OllamaResponseDecoder decoder;
  private final OllamaEmbeddingsCodec embeddings;
  private final AtomicInteger nextKey = new AtomicInteger();

  private OllamaChatProvider(Builder b, String name, List<Secret> apiKeys,
      Map<String, String> headers, HttpProviderBuilder.Clients clients) {
    this.name = name;
    String url = stripTrailingSlashes(b.baseUrl);
    HttpUrl root = HttpUrl.parse(url);
    if (root == null) {
      throw new LlmConfigurationException("the " + name + " baseUrl is not an http(s) URL: "
          + withoutCredentials(url));
    }
    this.baseUrl = withoutCredentials(url);
    this.chatUrl = root.newBuilder().addPathSegment("api").addPathSegment("chat").build();
    this.embedUrl = root.newBuilder().addPathSegment("api").addPathSegment("embed").build();
    this.apiKeys = List.copyOf(apiKeys);
    this.headers = Map.copyOf(headers);
    this.keepAlive = b.keepAlive;
    this.ownedResources = clients.ownedResources();
    this.httpClient = SharedClients.withoutSilentRetries(clients.httpClient());
    this.mapper = clients.objectMapper();
    this.encoder = new OllamaRequestEncoder(mapper, keepAlive);
    this.errors = new OllamaErrorDecoder(mapper, name, baseUrl, this.apiKeys, Clock.systemUTC());
    this.decoder = new OllamaResponseDecoder(mapper, errors);
    this.embeddings = new OllamaEmbeddingsCodec(mapper, keepAlive, errors);
  }

  /** A builder with every default set. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  /** The server's base URL, without a trailing slash (and without credentials, if it had any). */
  public String baseUrl() {
    return baseUrl;
  }

  /** The {@code keep_alive} sent with every call; null when the server's default applies. */
  public @Nullable Duration keepAlive() {
    return keepAlive;
  }

  /** How many API keys rotate; 0 for a local server. */
  public int apiKeyCount() {
    return apiKeys.size();
  }

  /** The names of the extra headers (their values may be credentials). */
  public List<String> extraHeaderNames() {
    return List.copyOf(headers.keySet());
  }

  /**
   * The HTTP client calls go through: the given or shared one, or a client derived from it (same pool
   * and dispatcher) with OkHttp's silent retries off, because providers never retry on their own.
   */
  public OkHttpClient httpClient() {
    return httpClient;
  }

  /** The JSON mapper bodies are read and written with. */
  public ObjectMapper objectMapper() {
    return mapper;
  }

  @Override
  public ProviderCapabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    ErrorContext base = ErrorContext.of(name, request.model());
    Call call = newCall(encoder.encodeBytes(request, false, base), false, context, base);
    try (Response response = call.execute()) {
      ErrorContext answered = base.withHttpStatus(response.code())
          .withRequestId(response.header("x-request-id"));
      if (!response.isSuccessful()) {
        throw errorOf(response, answered);
      }
      return decoder.decode(response.body().bytes(), answered, name, request.model());
    } catch (IOException e) {
      throw transportError(e, call, context, base);
    }
  }

  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    ErrorContext base = ErrorContext.of(name, request.model());
    Call call = newCall(encoder.encodeBytes(request, true, base), true, context, base);
    Response response;
    try {
      response = call.execute();
    } catch (IOException e) {
      throw transportError(e, call, context, base);
    }
    ErrorContext answered = base.withHttpStatus(response.code())
        .withRequestId(response.header("x-request-id"));
    try {
      if (!response.isSuccessful()) {
        throw errorOf(response, answered);
      }
      return new OllamaChatStream(call, response, context, answered, mapper, errors, decoder);
    } catch (IOException e) {
      response.close();
      throw transportError(e, call, context, answered);
    } catch (RuntimeException e) {
      response.close();
      throw e;
    }
  }

  /**
   * Embeds the inputs with one {@code POST {baseUrl}/api/embed}, the request's dimensions as
   * {@code dimensions} (for models that can shorten their vectors) and the configured
   * {@code keep_alive}; {@code prompt_eval_count} is reported as input tokens. Ollama truncates an input
   * longer than the model's context silently. Errors, keys, cancellation and the deadline are handled as
   * for {@link #chat}; a model that is not pulled is an
   * {@link dev.llmgateway.error.InvalidRequestException} saying so.
   */
  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    ErrorContext base = ErrorContext.of(name, request.model());
    Call call = newCall(embedUrl, embeddings.encodeBytes(request), "application/json", context, base);
    try (Response response = call.execute()) {
      ErrorContext answered = base.withHttpStatus(response.code())
          .withRequestId(response.header("x-request-id"));
      if (!response.isSuccessful()) {
        throw errorOf(response, answered);
      }
      return embeddings.decode(response.body().bytes(), answered, name, request);
    } catch (IOException e) {
      throw transportError(e, call, context, base);
    }
  }

  private Call newCall(byte[] body, boolean stream, CallContext context, ErrorContext errorContext) {
    return newCall(chatUrl, body, stream ? "application/x-ndjson" : "application/json", context,
        errorContext);
  }

  private Call newCall(HttpUrl url, byte[] body, String accept, CallContext context,
      ErrorContext errorContext) {
    Request.Builder http = new Request.Builder()
        .url(url)
        .post(RequestBody.create(body, JSON))
        .header("Accept", accept);
    if (!apiKeys.isEmpty()) {
      Secret key = apiKeys.get(Math.floorMod(nextKey.getAndIncrement(), apiKeys.size()));
      http.header("Authorization", "Bearer " + key.reveal());
    }
    headers.forEach(http::header);
    return ProviderCalls.bindToCaller(httpClient.newCall(http.build()), context, errorContext);
  }

  /** Maps a transport failure; an unreachable server is named by its base URL. */
  private LlmException transportError(IOException e, Call call, CallContext context,
      ErrorContext errorContext) {
    LlmException mapped = TransportErrors.beforeStream(e, call, context, errorContext);
    if (!(mapped instanceof ProviderUnavailableException)) {
      return mapped;
    }
    String kind;
    if (e instanceof ConnectException) {
      kind = "connection refused; is Ollama running (ollama serve)?";
    } else if (e instanceof UnknownHostException) {
      kind = "unknown host";
    } else if (e instanceof NoRouteToHostException) {
      kind = "no route to host";
    } else {
      kind = e.getClass().getSimpleName();
    }
    return new ProviderUnavailableException("the " + name + " server at " + baseUrl
        + " could not be reached: " + kind, errorContext, e);
  }

  private LlmException errorOf(Response response, ErrorContext context) throws IOException {
    byte[] body = ProviderCalls.errorBody(response);
    return errors.fromHttp(response.code(), response.headers(), body, response.header("Content-Type"),
        context);
  }

  /** Releases the resources this provider created itself (not shared ones). */
  @Override
  public void close() {
    if (ownedResources != null) {
      ownedResources.close();
    }
  }

  @Override
  public String toString() {
    return "OllamaChatProvider[name=" + name + ", baseUrl=" + baseUrl + ", apiKeys=" + apiKeys.size()
        + ", headers=" + headers.keySet() + ", keepAlive=" + keepAlive + "]";
  }

  private static String stripTrailingSlashes(String url) {
    String u = url.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  /** {@code url} without a {@code user:password@} part, for messages. */
  private static String withoutCredentials(String url) {
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null || (parsed.username().isEmpty() && parsed.password().isEmpty())) {
      return url;
    }
    return stripTrailingSlashes(parsed.newBuilder().username("").password("").build().toString());
  }

  /**
   * Builds an {@link OllamaChatProvider}. Every setting is optional. Keys are sent as
   * {@code Authorization: Bearer} (Ollama's cloud needs one; a local server ignores it); with none, no
   * {@code Authorization} header is sent. The provider name defaults to
   * {@link OllamaChatProvider#DEFAULT_PROVIDER_NAME} ({@code ollama}); the HTTP client and mapper to the
   * gateway-shared ones of {@link #resources}, else to those of a private {@link SharedResources}, closed
   * with the provider. A client with OkHttp's {@code retryOnConnectionFailure} on is used through a
   * derived client with it off (same pool and dispatcher). Header names are lower-cased. Not thread-safe.
   */
  public static final class Builder extends HttpProviderBuilder<Builder> {
    private String baseUrl = DEFAULT_BASE_URL;
    private @Nullable Duration keepAlive = DEFAULT_KEEP_ALIVE;

    private Builder() {
      super(DEFAULT_PROVIDER_NAME);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * The server's base URL; requests go to {@code {baseUrl}/api/chat}. Use {@code https://ollama.com}
     * for Ollama's cloud. Defaults to {@link OllamaChatProvider#DEFAULT_BASE_URL}
     * ({@code http://localhost:11434}); the factory reads {@code OLLAMA_HOST} when it is set.
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = requireNonBlank(baseUrl, "baseUrl");
      return this;
    }

    /**
     * How long the server keeps the model loaded after each call ({@code keep_alive}): a negative value
     * keeps it loaded forever, zero unloads it at once; null sends nothing. Defaults to
     * {@link OllamaChatProvider#DEFAULT_KEEP_ALIVE} (null: the server's own setting, 5 minutes unless
     * {@code OLLAMA_KEEP_ALIVE} says otherwise). A {@code keep_alive} provider option on a request wins.
     */
    public Builder keepAlive(@Nullable Duration keepAlive) {
      this.keepAlive = keepAlive;
      return this;
    }

    /** Header names are lower-cased. */
    @Override
    protected String headerName(String name) {
      return name.toLowerCase(Locale.ROOT);
    }

    /** Builds the provider; fails with {@link LlmConfigurationException} for a base URL that is not http(s). */
    public OllamaChatProvider build() {
      return new OllamaChatProvider(this, providerName(), apiKeys(), headers(), clients());
    }
  }
}
