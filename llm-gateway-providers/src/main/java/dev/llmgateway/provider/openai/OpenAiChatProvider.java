package dev.llmgateway.provider.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.provider.internal.http.TransportErrors;
import dev.llmgateway.provider.openai.internal.OpenAiChatStream;
import dev.llmgateway.provider.openai.internal.OpenAiErrorDecoder;
import dev.llmgateway.provider.openai.internal.OpenAiRequestEncoder;
import dev.llmgateway.provider.openai.internal.OpenAiResponseDecoder;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ProviderCapabilities;
import dev.llmgateway.spi.Secret;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ChatProvider} for the OpenAI Chat Completions API ({@code POST {baseUrl}/chat/completions}),
 * and for the many servers that copy it (vLLM, llama.cpp, Groq, DeepSeek, LM Studio...) given their base
 * URL. Build one with {@link #builder()}.
 *
 * <p>{@link #chat} makes a non-streaming call; {@link #stream} a streaming one whose chunks reach the
 * caller as they arrive. Only choice 0 of an answer is read. Every failure is mapped to the
 * {@link dev.llmgateway.error.LlmException} hierarchy with the provider, model, HTTP status, request id
 * ({@code x-request-id}) and the provider's retry signals; messages never contain the API key. The
 * provider never retries; cancelling the {@link CallContext} cancels the HTTP call, and the context's
 * timeout, if any, bounds the call.
 *
 * <p>Thread-safe. Several API keys are used in turn, one per call.
 */
public final class OpenAiChatProvider implements ChatProvider {

  /** The provider name used in model strings. */
  public static final String DEFAULT_PROVIDER_NAME = "openai";
  /** OpenAI's API base URL. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  /** Streams ask for a final usage chunk ({@code stream_options.include_usage}). */
  public static final boolean DEFAULT_INCLUDE_STREAM_USAGE = true;
  /** The field OpenAI wants the output-token limit in; compatible servers mostly want {@code max_tokens}. */
  public static final String DEFAULT_MAX_TOKENS_FIELD = "max_completion_tokens";

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final long MAX_ERROR_BODY_BYTES = 64 * 1024;

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
  private final boolean includeStreamUsage;
  private final String maxTokensField;
  private final AtomicInteger nextKey = new AtomicInteger();
  private final OpenAiRequestEncoder encoder;
  private final OpenAiErrorDecoder errors;
  private final OpenAiResponseDecoder decoder;

  private OpenAiChatProvider(Builder b) {
    this.name = b.providerName;
    this.baseUrl = stripTrailingSlashes(b.baseUrl);
    HttpUrl parsed = HttpUrl.parse(baseUrl + "/chat/completions");
    if (parsed == null) {
      throw new LlmConfigurationException("baseUrl of provider '" + name
          + "' is not an http(s) URL: " + baseUrl);
    }
    this.endpoint = parsed;
    this.apiKeys = List.copyOf(b.apiKeys);
    this.organization = b.organization;
    this.project = b.project;
    this.headers = Map.copyOf(b.headers);
    this.ownsHttpClient = b.httpClient == null;
    this.httpClient = b.httpClient != null
        ? SharedClients.withoutSilentRetries(b.httpClient)
        : SharedClients.newHttpClient();
    this.objectMapper = b.objectMapper != null ? b.objectMapper : SharedClients.newObjectMapper();
    this.includeStreamUsage = b.includeStreamUsage;
    this.maxTokensField = b.maxTokensField;
    this.encoder = new OpenAiRequestEncoder(objectMapper, maxTokensField, includeStreamUsage);
    this.errors = new OpenAiErrorDecoder(objectMapper, name, apiKeys, Clock.systemUTC());
    this.decoder = new OpenAiResponseDecoder(objectMapper, errors);
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

  /** Whether streams ask for a final usage chunk. */
  public boolean includeStreamUsage() {
    return includeStreamUsage;
  }

  /** The request field the output-token limit is written to. */
  public String maxTokensField() {
    return maxTokensField;
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
      ErrorContext answered = errorContext.withHttpStatus(response.code())
          .withRequestId(response.header("x-request-id"));
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
    ErrorContext answered = errorContext.withHttpStatus(response.code())
        .withRequestId(response.header("x-request-id"));
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
    Call call = httpClient.newCall(http.build());
    Duration timeout = context.options().timeout();
    if (timeout != null) {
      Duration left = timeout.minus(Duration.between(context.startedAt(), Instant.now()));
      if (left.isNegative() || left.isZero()) {
        throw new LlmTimeoutException("the call's deadline of " + timeout
            + " passed before it was sent", errorContext, null);
      }
      call.timeout().timeout(left.toNanos(), TimeUnit.NANOSECONDS);
    }
    context.onCancel(call::cancel);
    return call;
  }

  private LlmException errorOf(Response response, ErrorContext context) throws IOException {
    BufferedSource source = response.body().source();
    source.request(MAX_ERROR_BODY_BYTES);
    long size = Math.min(source.getBuffer().size(), MAX_ERROR_BODY_BYTES);
    byte[] body = source.getBuffer().readByteArray(size);
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
    return "OpenAiChatProvider[name=" + name + ", baseUrl=" + baseUrl + ", apiKeys=" + apiKeys.size()
        + (organization != null ? ", organization=" + organization : "")
        + (project != null ? ", project=" + project : "")
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
   * Builds an {@link OpenAiChatProvider}. Every setting is optional. Not thread-safe.
   */
  public static final class Builder {
    private String providerName = DEFAULT_PROVIDER_NAME;
    private String baseUrl = DEFAULT_BASE_URL;
    private final List<Secret> apiKeys = new ArrayList<>();
    private @Nullable String organization;
    private @Nullable String project;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private @Nullable OkHttpClient httpClient;
    private @Nullable ObjectMapper objectMapper;
    private boolean includeStreamUsage = DEFAULT_INCLUDE_STREAM_USAGE;
    private String maxTokensField = DEFAULT_MAX_TOKENS_FIELD;

    private Builder() {}

    /**
     * The name in model strings and in errors. Defaults to {@code openai}
     * ({@link OpenAiChatProvider#DEFAULT_PROVIDER_NAME}).
     */
    public Builder providerName(String providerName) {
      this.providerName = requireNonBlank(providerName, "providerName");
      return this;
    }

    /**
     * The API base URL, to which {@code /chat/completions} is appended, e.g.
     * {@code http://localhost:8000/v1} for vLLM. Defaults to {@code https://api.openai.com/v1}
     * ({@link OpenAiChatProvider#DEFAULT_BASE_URL}).
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = requireNonBlank(baseUrl, "baseUrl");
      return this;
    }

    /** Adds an API key, sent as {@code Authorization: Bearer}. Defaults to none: no header is sent. */
    public Builder apiKey(Secret apiKey) {
      apiKeys.add(Objects.requireNonNull(apiKey, "apiKey"));
      return this;
    }

    /** Replaces the API keys; several are used in turn. Defaults to none. */
    public Builder apiKeys(List<Secret> keys) {
      List<Secret> copy = List.copyOf(Objects.requireNonNull(keys, "apiKeys"));
      apiKeys.clear();
      apiKeys.addAll(copy);
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

    /** Adds a header sent on every call; it overrides a built-in one of the same name. Defaults to none. */
    public Builder header(String name, String value) {
      headers.put(requireNonBlank(name, "header name"), Objects.requireNonNull(value, "header value"));
      return this;
    }

    /** Replaces the extra headers. Defaults to none. */
    public Builder headers(Map<String, String> headers) {
      Map<String, String> copy = Map.copyOf(Objects.requireNonNull(headers, "headers"));
      this.headers.clear();
      copy.forEach(this::header);
      return this;
    }

    /**
     * The HTTP client, usually the gateway's shared one. Defaults to a client of this provider's own, made
     * with {@link SharedClients#newHttpClient()} and shut down by {@link OpenAiChatProvider#close()}. A
     * client with {@code retryOnConnectionFailure} on is used through a derived client that has it off
     * (sharing the same pool and dispatcher), because providers never retry on their own.
     */
    public Builder httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * The JSON mapper, usually the gateway's shared one. Defaults to
     * {@link SharedClients#newObjectMapper()}, which ignores unknown properties.
     */
    public Builder objectMapper(ObjectMapper objectMapper) {
      this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
      return this;
    }

    /**
     * Whether streams send {@code stream_options.include_usage} so that the last chunk reports usage.
     * Turn it off for servers that reject the field. Defaults to true
     * ({@link OpenAiChatProvider#DEFAULT_INCLUDE_STREAM_USAGE}).
     */
    public Builder includeStreamUsage(boolean includeStreamUsage) {
      this.includeStreamUsage = includeStreamUsage;
      return this;
    }

    /**
     * The request field for {@link ChatRequest#maxTokens()}: OpenAI wants {@code max_completion_tokens}
     * (reasoning models reject {@code max_tokens}); vLLM, llama.cpp and most compatible servers want
     * {@code max_tokens}. Defaults to {@code max_completion_tokens}
     * ({@link OpenAiChatProvider#DEFAULT_MAX_TOKENS_FIELD}).
     */
    public Builder maxTokensField(String maxTokensField) {
      this.maxTokensField = requireNonBlank(maxTokensField, "maxTokensField");
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws LlmConfigurationException when the base URL is not an http(s) URL
     */
    public OpenAiChatProvider build() {
      return new OpenAiChatProvider(this);
    }

    private static String requireNonBlank(@Nullable String value, String what) {
      if (value == null || value.isBlank()) {
        throw new LlmConfigurationException(what + " must not be blank");
      }
      return value;
    }
  }
}
