package dev.llmgateway.provider.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.HttpProviderBuilder;
import dev.llmgateway.provider.anthropic.internal.AnthropicChatStream;
import dev.llmgateway.provider.anthropic.internal.AnthropicErrorDecoder;
import dev.llmgateway.provider.anthropic.internal.AnthropicRequestEncoder;
import dev.llmgateway.provider.anthropic.internal.AnthropicResponseDecoder;
import dev.llmgateway.provider.internal.http.TransportErrors;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ProviderCapabilities;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.spi.SharedResources;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
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
 * A {@link ChatProvider} for Anthropic's Messages API ({@code POST {baseUrl}/messages}), blocking and
 * streamed. Build one with {@link #builder()}, or let {@link AnthropicProviderFactory} create it from
 * gateway settings.
 *
 * <p>Why an adapter of its own: Anthropic's wire differs from OpenAI's in every place that matters (a
 * top-level {@code system}, content blocks, {@code tool_use}/{@code tool_result} blocks, signed thinking
 * blocks that must be sent back, a required {@code max_tokens}, cache tokens reported apart from input
 * tokens, and typed SSE events). Mapping rules are documented on the internal encoder, decoders and
 * stream; in short: every request part and stream event of the common model has an Anthropic
 * counterpart, JSON-schema output uses Anthropic's structured outputs ({@code output_config.format}), and
 * a JSON-object response format is refused with an
 * {@link dev.llmgateway.error.UnsupportedFeatureException}.
 *
 * <p>Each call sends one of the configured keys as {@code x-api-key} (several keys rotate per call),
 * {@code anthropic-version}, {@code anthropic-beta} when betas are configured, then the extra headers,
 * which replace a standard header of the same name. The provider never retries; errors are mapped as
 * described on {@code AnthropicErrorDecoder} and never carry a key. Thread-safe.
 */
public final class AnthropicChatProvider implements ChatProvider {

  /** The provider name used in model strings. */
  public static final String DEFAULT_PROVIDER_NAME = "anthropic";

  /** Anthropic's public API root; requests go to {@code {baseUrl}/messages}. */
  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com/v1";

  /** The {@code anthropic-version} header value: the one stable API version. */
  public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

  /** Betas sent in {@code anthropic-beta}: none. */
  public static final List<String> DEFAULT_BETAS = List.of();

  /**
   * The {@code max_tokens} sent when a request sets none. Anthropic requires the field; 4096 fits the
   * output limit of every current Claude model.
   */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  /** What the wire can express: tools, images, JSON-schema output and streamed usage. */
  public static final ProviderCapabilities CAPABILITIES =
      new ProviderCapabilities(true, true, true, true);

  private static final MediaType JSON = MediaType.get("application/json");

  private final String name;
  private final HttpUrl messagesUrl;
  private final String baseUrl;
  private final List<Secret> apiKeys;
  private final String anthropicVersion;
  private final List<String> betas;
  private final Map<String, String> headers;
  private final int defaultMaxTokens;
  private final OkHttpClient httpClient;
  private final ObjectMapper mapper;
  private final @Nullable SharedResources ownedResources;
  private final AnthropicRequestEncoder encoder;
  private final AnthropicErrorDecoder errors;
  private final AnthropicResponseDecoder decoder;
  private final AtomicInteger nextKey = new AtomicInteger();

  private AnthropicChatProvider(Builder b, String name, List<Secret> apiKeys,
      Map<String, String> headers, HttpProviderBuilder.Clients clients) {
    this.name = name;
    this.baseUrl = stripTrailingSlash(b.baseUrl);
    HttpUrl root = HttpUrl.parse(this.baseUrl);
    if (root == null) {
      throw new LlmConfigurationException("the " + name + " baseUrl is not an http(s) URL: "
          + b.baseUrl);
    }
    this.messagesUrl = root.newBuilder().addPathSegment("messages").build();
    if (apiKeys.isEmpty()) {
      throw new LlmConfigurationException("no API key for " + name
          + ": set one on the builder or the environment variable "
          + AnthropicProviderFactory.API_KEY_ENV);
    }
    this.apiKeys = List.copyOf(apiKeys);
    this.anthropicVersion = b.anthropicVersion;
    this.betas = List.copyOf(b.betas);
    this.headers = Map.copyOf(headers);
    this.defaultMaxTokens = b.defaultMaxTokens;
    this.ownedResources = clients.ownedResources();
    this.httpClient = clients.httpClient();
    this.mapper = clients.objectMapper();
    this.encoder = new AnthropicRequestEncoder(mapper, defaultMaxTokens);
    this.errors = new AnthropicErrorDecoder(mapper, name, this.apiKeys, Clock.systemUTC());
    this.decoder = new AnthropicResponseDecoder(mapper, errors);
  }

  /** A builder with every default set. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  /** The API root requests go under, without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The {@code anthropic-version} header sent. */
  public String anthropicVersion() {
    return anthropicVersion;
  }

  /** The betas sent in {@code anthropic-beta}; empty for none. */
  public List<String> betas() {
    return betas;
  }

  /** The {@code max_tokens} sent when a request sets none. */
  public int defaultMaxTokens() {
    return defaultMaxTokens;
  }

  /** How many keys rotate. */
  public int apiKeyCount() {
    return apiKeys.size();
  }

  /** The names of the extra headers (their values may be credentials). */
  public List<String> extraHeaderNames() {
    return List.copyOf(headers.keySet());
  }

  OkHttpClient httpClient() {
    return httpClient;
  }

  ObjectMapper objectMapper() {
    return mapper;
  }

  @Override
  public ProviderCapabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallContext context) {
    ErrorContext base = ErrorContext.of(name, request.model());
    Call call = httpClient.newCall(httpRequest(encoder.encodeBytes(request, false, base), false));
    context.onCancel(call::cancel);
    try (Response response = call.execute()) {
      ErrorContext ctx = base.withHttpStatus(response.code())
          .withRequestId(response.header("request-id"));
      byte[] body = response.body().bytes();
      if (!response.isSuccessful()) {
        throw errors.fromHttp(response.code(), response.headers(), body,
            response.header("content-type"), ctx);
      }
      return decoder.decode(body, ctx, name, request.model());
    } catch (IOException e) {
      throw TransportErrors.beforeStream(e, call, context, base);
    }
  }

  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    ErrorContext base = ErrorContext.of(name, request.model());
    Call call = httpClient.newCall(httpRequest(encoder.encodeBytes(request, true, base), true));
    context.onCancel(call::cancel);
    Response response;
    try {
      response = call.execute();
    } catch (IOException e) {
      throw TransportErrors.beforeStream(e, call, context, base);
    }
    ErrorContext ctx = base.withHttpStatus(response.code())
        .withRequestId(response.header("request-id"));
    if (!response.isSuccessful()) {
      try (response) {
        byte[] body = response.body().bytes();
        throw errors.fromHttp(response.code(), response.headers(), body,
            response.header("content-type"), ctx);
      } catch (IOException e) {
        throw TransportErrors.beforeStream(e, call, context, ctx);
      }
    }
    return new AnthropicChatStream(call, response, context, ctx, mapper, errors);
  }

  private Request httpRequest(byte[] body, boolean stream) {
    Secret key = apiKeys.get(Math.floorMod(nextKey.getAndIncrement(), apiKeys.size()));
    Request.Builder request = new Request.Builder()
        .url(messagesUrl)
        .header("x-api-key", key.reveal())
        .header("anthropic-version", anthropicVersion)
        .header("accept", stream ? "text/event-stream" : "application/json")
        .post(RequestBody.create(body, JSON));
    if (!betas.isEmpty()) {
      request.header("anthropic-beta", String.join(",", betas));
    }
    headers.forEach(request::header);
    return request.build();
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
    return "AnthropicChatProvider[name=" + name + ", baseUrl=" + baseUrl + ", anthropicVersion="
        + anthropicVersion + ", betas=" + betas + ", apiKeys=" + apiKeys.size() + ", headers="
        + headers.keySet() + ", defaultMaxTokens=" + defaultMaxTokens + "]";
  }

  private static String stripTrailingSlash(String url) {
    String u = url.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  /**
   * Builds an {@link AnthropicChatProvider}. Keys are sent as {@code x-api-key}; at least one is required.
   * The provider name defaults to {@link AnthropicChatProvider#DEFAULT_PROVIDER_NAME} ({@code anthropic});
   * the HTTP client and mapper to the gateway-shared ones of {@link #resources}, else to those of a private
   * {@link SharedResources}, closed with the provider. Header names are lower-cased.
   * Not thread-safe.
   */
  public static final class Builder extends HttpProviderBuilder<Builder> {
    private String baseUrl = DEFAULT_BASE_URL;
    private String anthropicVersion = DEFAULT_ANTHROPIC_VERSION;
    private final List<String> betas = new ArrayList<>(DEFAULT_BETAS);
    private int defaultMaxTokens = DEFAULT_MAX_TOKENS;

    private Builder() {
      super(DEFAULT_PROVIDER_NAME);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * The API root; requests go to {@code {baseUrl}/messages}. Defaults to
     * {@link AnthropicChatProvider#DEFAULT_BASE_URL} ({@code https://api.anthropic.com/v1}).
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = requireNonBlank(baseUrl, "baseUrl");
      return this;
    }

    /**
     * The {@code anthropic-version} header. Defaults to
     * {@link AnthropicChatProvider#DEFAULT_ANTHROPIC_VERSION} ({@code 2023-06-01}).
     */
    public Builder anthropicVersion(String anthropicVersion) {
      this.anthropicVersion = requireNonBlank(anthropicVersion, "anthropicVersion");
      return this;
    }

    /** Adds a beta to {@code anthropic-beta}. Defaults to none ({@link AnthropicChatProvider#DEFAULT_BETAS}). */
    public Builder beta(String beta) {
      betas.add(requireNonBlank(beta, "beta"));
      return this;
    }

    /** Replaces the betas. Defaults to none ({@link AnthropicChatProvider#DEFAULT_BETAS}). */
    public Builder betas(List<String> betas) {
      List<String> copy = List.copyOf(Objects.requireNonNull(betas, "betas"));
      copy.forEach(b -> requireNonBlank(b, "beta"));
      this.betas.clear();
      this.betas.addAll(copy);
      return this;
    }

    /**
     * The {@code max_tokens} sent when a request sets none, which Anthropic requires. Defaults to
     * {@link AnthropicChatProvider#DEFAULT_MAX_TOKENS} (4096).
     */
    public Builder defaultMaxTokens(int defaultMaxTokens) {
      if (defaultMaxTokens < 1) {
        throw new LlmConfigurationException("defaultMaxTokens must be at least 1, was "
            + defaultMaxTokens);
      }
      this.defaultMaxTokens = defaultMaxTokens;
      return this;
    }

    /** Header names are lower-cased. */
    @Override
    protected String headerName(String name) {
      return name.toLowerCase(Locale.ROOT);
    }

    /** Builds the provider; fails with {@link LlmConfigurationException} when no key is set. */
    public AnthropicChatProvider build() {
      return new AnthropicChatProvider(this, providerName(), apiKeys(), headers(), clients());
    }
  }
}
