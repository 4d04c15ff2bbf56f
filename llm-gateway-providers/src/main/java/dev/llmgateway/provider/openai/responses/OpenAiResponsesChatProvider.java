package dev.llmgateway.provider.openai.responses;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.provider.HttpProviderBuilder;
import dev.llmgateway.provider.internal.http.ProviderCalls;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.provider.internal.http.TransportErrors;
import dev.llmgateway.provider.openai.responses.internal.ResponsesChatStream;
import dev.llmgateway.provider.openai.responses.internal.ResponsesErrorDecoder;
import dev.llmgateway.provider.openai.responses.internal.ResponsesRequestEncoder;
import dev.llmgateway.provider.openai.responses.internal.ResponsesResponseDecoder;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ProviderCapabilities;
import dev.llmgateway.spi.Secret;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
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
 * A {@link ChatProvider} for the OpenAI Responses API ({@code POST {baseUrl}/responses}): the second
 * wire for OpenAI models, beside Chat Completions ({@code OpenAiChatProvider}). Use it for models that
 * need it or do better on it, e.g. reasoning models whose reasoning should be carried from one turn to
 * the next. Build one with {@link #builder()}.
 *
 * <p><b>Choosing it per deployment.</b> The wire is picked by provider name, so both can serve the same
 * models side by side: the model string {@code openai-responses/o3-mini} goes through this provider as
 * discovered by {@link OpenAiResponsesProviderFactory}, and {@code openai/o3-mini} through Chat
 * Completions. To give a deployment a name of its own (another key, base URL or settings), register a
 * provider built with {@link Builder#providerName} on the gateway, e.g. {@code "reasoning"} for
 * {@code reasoning/o3-mini}.
 *
 * <p><b>Stateless by default.</b> Requests send {@code store: false} and ask for
 * {@code include: ["reasoning.encrypted_content"]}: OpenAI keeps nothing of the conversation (the gateway
 * sends the whole history each turn, as it does for every provider, so nothing needs to be stored; and
 * prompts and answers do not stay on OpenAI's side), and each reasoning item comes back encrypted, as a
 * {@link dev.llmgateway.ContentPart.Thinking} whose signature holds it. Sent back in the next turn's
 * assistant message, it lets the model continue its reasoning without anything stored server-side.
 * Non-reasoning models (e.g. {@code gpt-4o}, {@code gpt-4.1}) reject that {@code include} with HTTP 400;
 * build a provider with {@link Builder#includeEncryptedReasoning(boolean) includeEncryptedReasoning(false)}
 * for them, or send the request option {@code include: []}.
 *
 * <p>Every failure is mapped to the {@link LlmException} hierarchy with the provider, model, HTTP status,
 * request id ({@code x-request-id}, else Azure's {@code apim-request-id}) and the provider's retry
 * signals; messages never contain the API key. The provider never retries; cancelling the
 * {@link CallContext} cancels the HTTP call, and the context's timeout, if any, bounds the call.
 *
 * <p>Thread-safe. Several API keys are used in turn, one per call.
 */
public final class OpenAiResponsesChatProvider implements ChatProvider {

  /** The provider name used in model strings. */
  public static final String DEFAULT_PROVIDER_NAME = "openai-responses";
  /** OpenAI's API base URL. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  /** Responses are not stored by OpenAI: the gateway is stateless, and stored prompts are a privacy cost. */
  public static final boolean DEFAULT_STORE = false;
  /** Reasoning items come back encrypted, so they can be sent back without server-side state. */
  public static final boolean DEFAULT_INCLUDE_ENCRYPTED_REASONING = true;

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final String name;
  private final String baseUrl;
  private final HttpUrl endpoint;
  private final List<Secret> apiKeys;
  private final @Nullable String organization;
  private final @Nullable String project;
  private final Map<String, String> headers;
  private final OkHttpClient httpClient;
  private final boolean ownsHttpClient;
  private final ObjectMapper objectMapper;
  private final boolean store;
  private final boolean includeEncryptedReasoning;
  private final AtomicInteger nextKey = new AtomicInteger();
  private final ResponsesRequestEncoder encoder;
  private final ResponsesErrorDecoder errors;
  private final ResponsesResponseDecoder decoder;

  private OpenAiResponsesChatProvider(Builder b, String name, List<Secret> apiKeys,
      Map<String, String> headers, @Nullable OkHttpClient httpClient,
      @Nullable ObjectMapper objectMapper) {
    this.name = name;
    this.baseUrl = stripTrailingSlashes(b.baseUrl);
    HttpUrl parsed = HttpUrl.parse(baseUrl + "/responses");
    if (parsed == null) {
      throw new LlmConfigurationException("baseUrl of provider '" + name
          + "' is not an http(s) URL: " + baseUrl);
    }
    this.endpoint = parsed;
    this.apiKeys = List.copyOf(apiKeys);
    this.organization = b.organization;
    this.project = b.project;
    this.headers = Map.copyOf(headers);
    this.ownsHttpClient = httpClient == null;
    this.httpClient = httpClient != null
        ? SharedClients.withoutSilentRetries(httpClient)
        : SharedClients.newHttpClient();
    this.objectMapper = objectMapper != null ? objectMapper : SharedClients.newObjectMapper();
    this.store = b.store;
    this.includeEncryptedReasoning = b.includeEncryptedReasoning;
    this.encoder = new ResponsesRequestEncoder(this.objectMapper, store, includeEncryptedReasoning);
    this.errors = new ResponsesErrorDecoder(this.objectMapper, name, this.apiKeys, Clock.systemUTC());
    this.decoder = new ResponsesResponseDecoder(this.objectMapper, errors);
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

  /** The {@code OpenAI-Organization} header value; null when not sent. */
  public @Nullable String organization() {
    return organization;
  }

  /** The {@code OpenAI-Project} header value; null when not sent. */
  public @Nullable String project() {
    return project;
  }

  /** The {@code store} field sent on every request. */
  public boolean store() {
    return store;
  }

  /** Whether requests ask for {@code include: ["reasoning.encrypted_content"]}. */
  public boolean includeEncryptedReasoning() {
    return includeEncryptedReasoning;
  }

  /**
   * The HTTP client calls go through: the one given to the builder, or one derived from it sharing its
   * pool and dispatcher when it had OkHttp's silent retries on.
   */
  public OkHttpClient httpClient() {
    return httpClient;
  }

  /** The JSON mapper bodies are read and written with. */
  public ObjectMapper objectMapper() {
    return objectMapper;
  }

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
      ErrorContext answered = answered(errorContext, response);
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
    ErrorContext answered = answered(errorContext, response);
    try {
      if (!response.isSuccessful()) {
        throw errorOf(response, answered);
      }
      return new ResponsesChatStream(call, response, context, answered, objectMapper, errors);
    } catch (IOException e) {
      response.close();
      throw TransportErrors.beforeStream(e, call, context, answered);
    } catch (RuntimeException e) {
      response.close();
      throw e;
    }
  }

  private static ErrorContext answered(ErrorContext context, Response response) {
    String requestId = response.header("x-request-id");
    if (requestId == null || requestId.isBlank()) {
      requestId = response.header("apim-request-id");
    }
    return context.withHttpStatus(response.code()).withRequestId(requestId);
  }

  private Call newCall(ChatRequest request, boolean stream, CallContext context,
      ErrorContext errorContext) {
    byte[] body = encoder.encodeBytes(request, stream);
    Request.Builder http = new Request.Builder()
        .url(endpoint)
        .post(RequestBody.create(body, JSON))
        .header("Accept", stream ? "text/event-stream" : "application/json");
    if (!apiKeys.isEmpty()) {
      Secret key = apiKeys.get(Math.floorMod(nextKey.getAndIncrement(), apiKeys.size()));
      http.header("Authorization", "Bearer " + key.reveal());
    }
    if (organization != null) {
      http.header("OpenAI-Organization", organization);
    }
    if (project != null) {
      http.header("OpenAI-Project", project);
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
    return "OpenAiResponsesChatProvider[name=" + name + ", baseUrl=" + baseUrl + ", apiKeys="
        + apiKeys.size()
        + (organization != null ? ", organization=" + organization : "")
        + (project != null ? ", project=" + project : "")
        + ", store=" + store + ", includeEncryptedReasoning=" + includeEncryptedReasoning
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
   * Builds an {@link OpenAiResponsesChatProvider}. Every setting is optional. Keys are sent as
   * {@code Authorization: Bearer}, used in turn (round-robin); with none, no header is sent. The provider
   * name defaults to {@code openai-responses} ({@link OpenAiResponsesChatProvider#DEFAULT_PROVIDER_NAME});
   * pick your own to give a deployment its own name. Without a client or {@link #resources}, the provider
   * makes a client of its own with {@link SharedClients#newHttpClient()}, shut down by
   * {@link OpenAiResponsesChatProvider#close()}. A client with {@code retryOnConnectionFailure} on is used
   * through a derived client that has it off ({@link SharedClients#withoutSilentRetries}, sharing the same
   * pool and dispatcher), because providers never retry on their own. Not thread-safe.
   */
  public static final class Builder extends HttpProviderBuilder<Builder> {
    private String baseUrl = DEFAULT_BASE_URL;
    private @Nullable String organization;
    private @Nullable String project;
    private boolean store = DEFAULT_STORE;
    private boolean includeEncryptedReasoning = DEFAULT_INCLUDE_ENCRYPTED_REASONING;

    private Builder() {
      super(DEFAULT_PROVIDER_NAME);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * The API base URL, to which {@code /responses} is appended. Defaults to
     * {@code https://api.openai.com/v1} ({@link OpenAiResponsesChatProvider#DEFAULT_BASE_URL}).
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = requireNonBlank(baseUrl, "baseUrl");
      return this;
    }

    /** The {@code OpenAI-Organization} header. Defaults to null: not sent. */
    public Builder organization(@Nullable String organization) {
      this.organization = organization;
      return this;
    }

    /** The {@code OpenAI-Project} header. Defaults to null: not sent. */
    public Builder project(@Nullable String project) {
      this.project = project;
      return this;
    }

    /**
     * The {@code store} field: whether OpenAI keeps the response (and its input) for later retrieval.
     * Defaults to false ({@link OpenAiResponsesChatProvider#DEFAULT_STORE}): the gateway sends the whole
     * conversation every turn and never uses {@code previous_response_id}, so storing buys nothing, and
     * unstored prompts and answers are a privacy gain. Turn it on to see responses in OpenAI's dashboard
     * or to use stored-item features through provider options.
     */
    public Builder store(boolean store) {
      this.store = store;
      return this;
    }

    /**
     * Whether requests ask for {@code include: ["reasoning.encrypted_content"]}, so that reasoning items
     * come back encrypted and can be sent back in the next turn without server-side state. Non-reasoning
     * models reject it with HTTP 400 (param {@code include}): turn it off for them. Defaults to true
     * ({@link OpenAiResponsesChatProvider#DEFAULT_INCLUDE_ENCRYPTED_REASONING}).
     */
    public Builder includeEncryptedReasoning(boolean includeEncryptedReasoning) {
      this.includeEncryptedReasoning = includeEncryptedReasoning;
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws LlmConfigurationException when the base URL is not an http(s) URL
     */
    public OpenAiResponsesChatProvider build() {
      return new OpenAiResponsesChatProvider(this, providerName(), apiKeys(), headers(),
          givenOrSharedHttpClient(), givenOrSharedObjectMapper());
    }
  }
}
