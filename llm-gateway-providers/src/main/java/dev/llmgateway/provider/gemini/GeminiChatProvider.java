package dev.llmgateway.provider.gemini;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.embedding.EmbeddingRequest;
import dev.llmgateway.embedding.EmbeddingResponse;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.provider.HttpProviderBuilder;
import dev.llmgateway.provider.gemini.internal.GeminiChatStream;
import dev.llmgateway.provider.gemini.internal.GeminiEmbeddingsCodec;
import dev.llmgateway.provider.gemini.internal.GeminiErrorDecoder;
import dev.llmgateway.provider.gemini.internal.GeminiRequestEncoder;
import dev.llmgateway.provider.gemini.internal.GeminiResponseDecoder;
import dev.llmgateway.provider.internal.http.ProviderCalls;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.provider.internal.http.TransportErrors;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.EmbeddingProvider;
import dev.llmgateway.spi.ProviderCapabilities;
import dev.llmgateway.spi.Secret;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ChatProvider} for the Google Gemini Developer API: {@link #chat} posts to
 * {@code {baseUrl}/models/{model}:generateContent}, {@link #stream} to
 * {@code {baseUrl}/models/{model}:streamGenerateContent?alt=sse}. A model name holding a slash, such as
 * {@code tunedModels/my-model}, is used as the whole resource path instead of {@code models/{model}}.
 * Build one with {@link #builder()}.
 *
 * <p>The key goes in the {@code x-goog-api-key} header, never in the URL ({@code ?key=} would put it in
 * every log that records URLs). Only candidate 0 of an answer is read. Every failure is mapped to the
 * {@link dev.llmgateway.error.LlmException} hierarchy with the provider, model and HTTP status (a bad
 * key is Gemini's HTTP 400 {@code API_KEY_INVALID}, mapped to an authentication error; a 429 carries
 * {@code RetryInfo.retryDelay}); messages never contain the key. Gemini sends no request-id header; the
 * answer's {@code responseId} is {@link ChatResponse#id()}. The provider never retries; cancelling the
 * {@link CallContext} cancels the HTTP call, and the context's timeout, if any, bounds the call.
 *
 * <p>Also an {@link EmbeddingProvider}: {@link #embed} posts every input in one
 * {@code {baseUrl}/models/{model}:batchEmbedContents} call, e.g. with {@code gemini-embedding-001}, whose
 * vectors can be shortened with the request's dimensions ({@code outputDimensionality}).
 *
 * <p>Thread-safe. Several API keys are used in turn, one per call.
 */
public final class GeminiChatProvider implements ChatProvider, EmbeddingProvider {

  /** The provider name used in model strings. */
  public static final String DEFAULT_PROVIDER_NAME = "gemini";
  /** The Gemini Developer API's base URL. */
  public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";
  /** The header the API key is sent in. */
  public static final String API_KEY_HEADER = "x-goog-api-key";

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final Pattern MODEL_PATH = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]*(/[A-Za-z0-9][A-Za-z0-9._\\-]*)*");

  private final String name;
  private final String baseUrl;
  private final HttpUrl base;
  private final List<Secret> apiKeys;
  private final Map<String, String> headers;
  private final OkHttpClient httpClient;
  private final boolean ownsHttpClient;
  private final ObjectMapper objectMapper;
  private final AtomicInteger nextKey = new AtomicInteger();
  private final GeminiRequestEncoder encoder;
  private final GeminiErrorDecoder errors;
  private final GeminiResponseDecoder decoder;
  private final GeminiEmbeddingsCodec embeddings;

  private GeminiChatProvider(Builder b, String name, List<Secret> apiKeys, Map<String, String> headers,
      @Nullable OkHttpClient httpClient, @Nullable ObjectMapper objectMapper) {
    this.name = name;
    this.baseUrl = stripTrailingSlashes(b.baseUrl);
    HttpUrl parsed = HttpUrl.parse(baseUrl);
    if (parsed == null) {
      throw new LlmConfigurationException("baseUrl of provider '" + name
          + "' is not an http(s) URL: " + baseUrl);
    }
    this.base = parsed;
    this.apiKeys = List.copyOf(apiKeys);
    this.headers = Map.copyOf(headers);
    this.ownsHttpClient = httpClient == null;
    this.httpClient = httpClient != null ? httpClient : SharedClients.newHttpClient();
    this.objectMapper = objectMapper != null ? objectMapper : SharedClients.newObjectMapper();
    this.encoder = new GeminiRequestEncoder(this.objectMapper);
    this.errors = new GeminiErrorDecoder(this.objectMapper, name, this.apiKeys, Clock.systemUTC());
    this.decoder = new GeminiResponseDecoder(this.objectMapper, errors);
    this.embeddings = new GeminiEmbeddingsCodec(this.objectMapper, errors);
  }

  /** A builder with every setting at its default. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  /** The API base URL, without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  /** How many API keys are configured (the keys themselves are never exposed). */
  public int apiKeyCount() {
    return apiKeys.size();
  }

  /** The extra headers sent on every call. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The HTTP client calls go through. */
  public OkHttpClient httpClient() {
    return httpClient;
  }

  /** The JSON mapper bodies are read and written with. */
  public ObjectMapper objectMapper() {
    return objectMapper;
  }

  /** Tools, images, JSON schema output and streamed usage are all supported. */
  @Override
  public ProviderCapabilities capabilities() {
    return ProviderCapabilities.ALL;
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    ErrorContext errorContext = ErrorContext.of(name, request.model());
    Call call = newCall(request, false, context, errorContext);
    try (Response response = call.execute()) {
      ErrorContext answered = errorContext.withHttpStatus(response.code());
      if (!response.isSuccessful()) {
        throw errorOf(response, answered);
      }
      byte[] body = response.body().bytes();
      return decoder.decode(body, answered, name, request.model());
    } catch (IOException e) {
      throw TransportErrors.beforeStream(e, call, context, errorContext);
    }
  }

  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    ErrorContext errorContext = ErrorContext.of(name, request.model());
    Call call = newCall(request, true, context, errorContext);
    Response response;
    try {
      response = call.execute();
    } catch (IOException e) {
      throw TransportErrors.beforeStream(e, call, context, errorContext);
    }
    ErrorContext answered = errorContext.withHttpStatus(response.code());
    try {
      if (!response.isSuccessful()) {
        throw errorOf(response, answered);
      }
      return new GeminiChatStream(call, response, context, answered, objectMapper, errors,
          request.model());
    } catch (IOException e) {
      response.close();
      throw TransportErrors.beforeStream(e, call, context, answered);
    } catch (RuntimeException e) {
      response.close();
      throw e;
    }
  }

  /**
   * Embeds the inputs with one {@code POST {baseUrl}/models/{model}:batchEmbedContents}: one request
   * entry per input, the request's dimensions as {@code outputDimensionality}. Gemini reports no token
   * usage for embeddings, so the response's usage is {@link dev.llmgateway.Usage#ZERO}. Errors, keys,
   * cancellation and the deadline are handled as for {@link #chat}.
   */
  @Override
  public EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(context, "context");
    ErrorContext errorContext = ErrorContext.of(name, request.model());
    String resource = resourceName(request.model());
    Call call = newCall(methodUrl(resource, ":batchEmbedContents"),
        embeddings.encodeBytes(request, resource), "application/json", context, errorContext);
    try (Response response = call.execute()) {
      ErrorContext answered = errorContext.withHttpStatus(response.code());
      if (!response.isSuccessful()) {
        throw errorOf(response, answered);
      }
      return embeddings.decode(response.body().bytes(), answered, name, request);
    } catch (IOException e) {
      throw TransportErrors.beforeStream(e, call, context, errorContext);
    }
  }

  /** The URL a request for {@code model} goes to. */
  HttpUrl endpoint(String model, boolean stream) {
    HttpUrl url = methodUrl(resourceName(model),
        stream ? ":streamGenerateContent" : ":generateContent");
    return stream ? url.newBuilder().addQueryParameter("alt", "sse").build() : url;
  }

  /** {@code models/{model}}, or the model itself when it is already a path such as {@code tunedModels/x}. */
  private String resourceName(String model) {
    String path = model.strip();
    if (!MODEL_PATH.matcher(path).matches()) {
      throw new InvalidRequestException("model name '" + model + "' is not a valid Gemini model name",
          ErrorContext.of(name, model), null);
    }
    return path.indexOf('/') < 0 ? "models/" + path : path;
  }

  private HttpUrl methodUrl(String resourceName, String method) {
    int slash = resourceName.lastIndexOf('/');
    return base.newBuilder()
        .addPathSegments(resourceName.substring(0, slash))
        .addPathSegment(resourceName.substring(slash + 1) + method)
        .build();
  }

  private Call newCall(ChatRequest request, boolean stream, CallContext context,
      ErrorContext errorContext) {
    return newCall(endpoint(request.model(), stream), encoder.encodeBytes(request),
        stream ? "text/event-stream" : "application/json", context, errorContext);
  }

  private Call newCall(HttpUrl url, byte[] body, String accept, CallContext context,
      ErrorContext errorContext) {
    Request.Builder http = new Request.Builder()
        .url(url)
        .post(RequestBody.create(body, JSON))
        .header("Accept", accept);
    if (!apiKeys.isEmpty()) {
      Secret key = apiKeys.get(Math.floorMod(nextKey.getAndIncrement(), apiKeys.size()));
      http.header(API_KEY_HEADER, key.reveal());
    }
    headers.forEach(http::header);
    return ProviderCalls.bindToCaller(httpClient.newCall(http.build()), context, errorContext);
  }

  private LlmException errorOf(Response response, ErrorContext context) throws IOException {
    byte[] body = ProviderCalls.errorBody(response);
    return errors.fromHttp(response.code(), response.headers(), body, response.header("Content-Type"),
        context);
  }

  /** Shuts down the HTTP client if this provider created it; a client given to the builder is left alone. */
  @Override
  public void close() {
    if (ownsHttpClient) {
      httpClient.dispatcher().executorService().shutdown();
      httpClient.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "GeminiChatProvider[name=" + name + ", baseUrl=" + baseUrl + ", apiKeys=" + apiKeys.size()
        + ", headers=" + headers.keySet() + "]";
  }

  private static String stripTrailingSlashes(String url) {
    String u = url.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  /**
   * Builds a {@link GeminiChatProvider}. Every setting is optional. Keys are sent in the
   * {@code x-goog-api-key} header; with none, no key header is sent (for a proxy that adds its own). The
   * provider name defaults to {@code gemini} ({@link GeminiChatProvider#DEFAULT_PROVIDER_NAME}). Without
   * a client or {@link #resources}, the provider makes a client of its own with
   * {@link SharedClients#newHttpClient()}, shut down by {@link GeminiChatProvider#close()}. Not
   * thread-safe.
   */
  public static final class Builder extends HttpProviderBuilder<Builder> {
    private String baseUrl = DEFAULT_BASE_URL;

    private Builder() {
      super(DEFAULT_PROVIDER_NAME);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * The API base URL, to which {@code /models/{model}:generateContent} is appended. Defaults to
     * {@code https://generativelanguage.googleapis.com/v1beta} ({@link GeminiChatProvider#DEFAULT_BASE_URL}).
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = requireNonBlank(baseUrl, "baseUrl");
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws LlmConfigurationException when the base URL is not an http(s) URL
     */
    public GeminiChatProvider build() {
      return new GeminiChatProvider(this, providerName(), apiKeys(), headers(),
          givenOrSharedHttpClient(), givenOrSharedObjectMapper());
    }
  }
}
