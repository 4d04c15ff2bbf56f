package dev.llmgateway.provider.bedrock;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.HttpProviderBuilder;
import dev.llmgateway.provider.bedrock.internal.BedrockChatStream;
import dev.llmgateway.provider.bedrock.internal.BedrockErrorDecoder;
import dev.llmgateway.provider.bedrock.internal.BedrockRequestEncoder;
import dev.llmgateway.provider.bedrock.internal.BedrockResponseDecoder;
import dev.llmgateway.provider.bedrock.internal.SigV4RequestSigner;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.provider.internal.http.TransportErrors;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.ProviderCapabilities;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.spi.SharedResources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * A {@link ChatProvider} for AWS Bedrock's Converse API: {@code POST {baseUrl}/model/{modelId}/converse}
 * for blocking calls and {@code .../converse-stream} for streams, whose answer is the binary AWS
 * event-stream framing rather than SSE. The model id (a foundation model id such as
 * {@code anthropic.claude-3-5-haiku-20241022-v1:0}, an inference profile id, or an ARN) is
 * percent-encoded as one path segment. Build one with {@link #builder()}, or let
 * {@link BedrockProviderFactory} create it from gateway settings.
 *
 * <p>Why an adapter of its own: Converse shares no wire with the other providers (nested content blocks,
 * {@code toolSpec}/{@code toolUse}/{@code toolResult}, signed reasoning blocks, usage whose input count
 * excludes cache tokens, the event-stream framing, error types in a header), and it is authenticated with
 * AWS Signature Version 4. Mapping rules are documented on the internal encoder, decoders and stream.
 *
 * <p>Authentication, exactly one of:
 * <ul>
 *   <li>AWS credentials ({@link Builder#credentials}): every request is signed with SigV4 for the service
 *       {@value #DEFAULT_SIGNING_NAME} and the configured region, by the AWS SDK's signer, at the time of
 *       the configured {@link Clock}. Temporary credentials add {@code X-Amz-Security-Token}. Credentials
 *       are fixed for the provider's life: rotate them by building a new provider.
 *   <li>Bedrock API keys ({@link Builder#apiKey}): sent as {@code Authorization: Bearer <key>}, with no
 *       signature; several keys rotate per call.
 * </ul>
 *
 * <p>Extra headers are sent on every call after the standard ones (and signed along with them). The
 * provider never retries; errors are mapped as described on {@code BedrockErrorDecoder} and never carry
 * a secret key, session token or API key. The request id is the {@code x-amzn-RequestId} header.
 * Thread-safe.
 */
public final class BedrockChatProvider implements ChatProvider {

  /** The provider name used in model strings. */
  public static final String DEFAULT_PROVIDER_NAME = "bedrock";

  /**
   * The public Bedrock Runtime endpoint, with {@code {region}} standing for the configured region:
   * {@code https://bedrock-runtime.{region}.amazonaws.com}.
   */
  public static final String DEFAULT_BASE_URL_TEMPLATE = "https://bedrock-runtime.{region}.amazonaws.com";

  /** The service name SigV4 signs for: {@code bedrock} (the Bedrock Runtime API's signing name). */
  public static final String DEFAULT_SIGNING_NAME = "bedrock";

  /** The clock signatures are dated by: the system clock in UTC. */
  public static final Clock DEFAULT_CLOCK = Clock.systemUTC();

  /**
   * What the wire can express: tools, images and streamed usage; no JSON-schema output (Converse has no
   * portable structured-output mode, so such requests are refused before any call).
   */
  public static final ProviderCapabilities CAPABILITIES =
      new ProviderCapabilities(true, true, false, true);

  private static final MediaType JSON = MediaType.get("application/json");
  private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
  private static final String REQUEST_ID_HEADER = "x-amzn-RequestId";
  private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)+");

  private final String name;
  private final @Nullable String region;
  private final String baseUrl;
  private final HttpUrl root;
  private final @Nullable SigV4RequestSigner signer;
  private final List<Secret> apiKeys;
  private final Map<String, String> headers;
  private final Clock clock;
  private final OkHttpClient httpClient;
  private final ObjectMapper mapper;
  private final @Nullable SharedResources ownedResources;
  private final BedrockRequestEncoder encoder;
  private final BedrockErrorDecoder errors;
  private final BedrockResponseDecoder decoder;
  private final AtomicInteger nextKey = new AtomicInteger();

  private BedrockChatProvider(Builder b, String name, List<Secret> apiKeys,
      Map<String, String> headers, HttpProviderBuilder.Clients clients) {
    this.name = name;
    this.region = b.region;
    this.clock = b.clock;
    boolean sigV4 = b.accessKeyId != null;
    if (sigV4 && !apiKeys.isEmpty()) {
      throw new LlmConfigurationException("provider " + name + " has both AWS credentials and a"
          + " Bedrock API key; configure exactly one");
    }
    if (!sigV4 && apiKeys.isEmpty()) {
      throw new LlmConfigurationException("no credentials for provider " + name
          + ": set AWS credentials (" + BedrockProviderFactory.ACCESS_KEY_ID_ENV + ", "
          + BedrockProviderFactory.SECRET_ACCESS_KEY_ENV + ", optionally "
          + BedrockProviderFactory.SESSION_TOKEN_ENV + ") or a Bedrock API key ("
          + BedrockProviderFactory.BEARER_TOKEN_ENV + ")");
    }
    String url = b.baseUrl;
    if (url == null) {
      if (region == null) {
        throw new LlmConfigurationException("no region for provider " + name
            + ": set one on the builder, the option '" + BedrockProviderFactory.OPTION_REGION
            + "' or the environment variable " + BedrockProviderFactory.REGION_ENV + " or "
            + BedrockProviderFactory.DEFAULT_REGION_ENV + ", or give a baseUrl");
      }
      url = DEFAULT_BASE_URL_TEMPLATE.replace("{region}", region);
    }
    this.baseUrl = stripTrailingSlash(url);
    HttpUrl parsed = HttpUrl.parse(this.baseUrl);
    if (parsed == null) {
      throw new LlmConfigurationException("the " + name + " baseUrl is not an http(s) URL: " + url);
    }
    this.root = parsed;
    if (sigV4) {
      if (region == null) {
        throw new LlmConfigurationException("provider " + name + " signs requests with SigV4, which"
            + " needs a region even with a baseUrl; set the region");
      }
      this.signer = new SigV4RequestSigner(Objects.requireNonNull(b.accessKeyId),
          Objects.requireNonNull(b.secretAccessKey), b.sessionToken, region, b.signingName, clock);
    } else {
      this.signer = null;
    }
    this.apiKeys = List.copyOf(apiKeys);
    this.headers = Map.copyOf(headers);
    this.ownedResources = clients.ownedResources();
    this.httpClient = SharedClients.withoutSilentRetries(clients.httpClient());
    this.mapper = clients.objectMapper();
    List<Secret> secrets = new ArrayList<>(this.apiKeys);
    if (b.secretAccessKey != null) {
      secrets.add(b.secretAccessKey);
    }
    if (b.sessionToken != null) {
      secrets.add(b.sessionToken);
    }
    this.encoder = new BedrockRequestEncoder(mapper);
    this.errors = new BedrockErrorDecoder(mapper, name, secrets, clock);
    this.decoder = new BedrockResponseDecoder(mapper);
  }

  /** A builder with every default set. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  /** The region requests go to and are signed for; null when only a baseUrl was given. */
  public @Nullable String region() {
    return region;
  }

  /** The API root requests go under, without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  /** How requests are authenticated: {@code sigv4} or {@code bearer}. */
  public String authScheme() {
    return signer != null ? "sigv4" : "bearer";
  }

  /** How many Bedrock API keys rotate; 0 with SigV4. */
  public int apiKeyCount() {
    return apiKeys.size();
  }

  /** The clock signatures are dated by. */
  public Clock clock() {
    return clock;
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
    byte[] body = encoder.encodeBytes(request, base);
    Call call = httpClient.newCall(httpRequest(request.model(), body, false));
    context.onCancel(call::cancel);
    try (Response response = call.execute()) {
      ErrorContext ctx = base.withHttpStatus(response.code())
          .withRequestId(response.header(REQUEST_ID_HEADER));
      byte[] bytes = response.body().bytes();
      if (!response.isSuccessful()) {
        throw errors.fromHttp(response.code(), response.headers(), bytes,
            response.header("content-type"), ctx);
      }
      return decoder.decode(bytes, ctx, name, request.model());
    } catch (IOException e) {
      throw TransportErrors.beforeStream(e, call, context, base);
    }
  }

  @Override
  public ChatStream stream(ChatRequest request, CallContext context) {
    ErrorContext base = ErrorContext.of(name, request.model());
    byte[] body = encoder.encodeBytes(request, base);
    Call call = httpClient.newCall(httpRequest(request.model(), body, true));
    context.onCancel(call::cancel);
    Response response;
    try {
      response = call.execute();
    } catch (IOException e) {
      throw TransportErrors.beforeStream(e, call, context, base);
    }
    ErrorContext ctx = base.withHttpStatus(response.code())
        .withRequestId(response.header(REQUEST_ID_HEADER));
    if (!response.isSuccessful()) {
      try (response) {
        byte[] bytes = response.body().bytes();
        throw errors.fromHttp(response.code(), response.headers(), bytes,
            response.header("content-type"), ctx);
      } catch (IOException e) {
        throw TransportErrors.beforeStream(e, call, context, ctx);
      }
    }
    return new BedrockChatStream(call, response, context, ctx, mapper, errors, request.model());
  }

  private Request httpRequest(String modelId, byte[] body, boolean stream) {
    HttpUrl url = root.newBuilder()
        .addPathSegment("model")
        .addEncodedPathSegment(encodePathSegment(modelId))
        .addPathSegment(stream ? "converse-stream" : "converse")
        .build();
    Map<String, String> toSend = new LinkedHashMap<>();
    toSend.put("content-type", JSON.toString());
    toSend.put("accept", stream ? EVENT_STREAM : JSON.toString());
    toSend.putAll(headers);
    Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(body, JSON));
    if (signer != null) {
      signer.sign("POST", url, toSend, body).forEach((header, values) -> {
        request.removeHeader(header);
        values.forEach(v -> request.addHeader(header, v));
      });
    } else {
      Secret key = apiKeys.get(Math.floorMod(nextKey.getAndIncrement(), apiKeys.size()));
      toSend.forEach(request::header);
      request.header("authorization", "Bearer " + key.reveal());
    }
    return request.build();
  }

  /**
   * {@code segment} percent-encoded as one URL path segment: everything except RFC 3986 unreserved
   * characters ({@code A-Z a-z 0-9 - . _ ~}) is encoded, so {@code :} and {@code /} of model ids and ARNs
   * stay inside the segment, as the AWS SDKs send them.
   */
  static String encodePathSegment(String segment) {
    StringBuilder sb = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
          || c == '.' || c == '_' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
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
    return "BedrockChatProvider[name=" + name + ", region=" + region + ", baseUrl=" + baseUrl
        + ", auth=" + authScheme() + (signer != null && signer.hasSessionToken() ? " (session)" : "")
        + ", apiKeys=" + apiKeys.size() + ", headers=" + headers.keySet() + "]";
  }

  private static String stripTrailingSlash(String url) {
    String u = url.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  /**
   * Builds a {@link BedrockChatProvider}. API keys are Bedrock API keys, sent as
   * {@code Authorization: Bearer}; exactly one of {@link #credentials} and API keys is required. The
   * provider name defaults to {@link BedrockChatProvider#DEFAULT_PROVIDER_NAME} ({@code bedrock}); the
   * HTTP client and mapper to the gateway-shared ones of {@link #resources}, else to those of a private
   * {@link SharedResources}, closed with the provider. Extra headers are also signed with SigV4; their
   * names are lower-cased, and {@code authorization}, {@code host} and {@code x-amz-*} are refused.
   * Not thread-safe.
   */
  public static final class Builder extends HttpProviderBuilder<Builder> {
    private @Nullable String region;
    private @Nullable String baseUrl;
    private @Nullable String accessKeyId;
    private @Nullable Secret secretAccessKey;
    private @Nullable Secret sessionToken;
    private String signingName = DEFAULT_SIGNING_NAME;
    private Clock clock = DEFAULT_CLOCK;

    private Builder() {
      super(DEFAULT_PROVIDER_NAME);
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * The AWS region, e.g. {@code us-east-1}: it picks the default endpoint and is the region SigV4
     * signs for. Defaults to none: required unless a {@link #baseUrl} is given and a Bedrock API key is
     * used.
     */
    public Builder region(String region) {
      String r = requireNonBlank(region, "region").strip().toLowerCase(Locale.ROOT);
      if (!REGION.matcher(r).matches()) {
        throw new LlmConfigurationException("region must look like us-east-1, was '" + region + "'");
      }
      this.region = r;
      return this;
    }

    /**
     * The API root; requests go to {@code {baseUrl}/model/{modelId}/converse[-stream]}. Defaults to
     * {@link BedrockChatProvider#DEFAULT_BASE_URL_TEMPLATE} with the region filled in
     * ({@code https://bedrock-runtime.{region}.amazonaws.com}); set it for a VPC endpoint, a FIPS endpoint
     * or a proxy.
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = requireNonBlank(baseUrl, "baseUrl");
      return this;
    }

    /**
     * Long-term AWS credentials, used to sign every request with SigV4. Defaults to none; exactly one of
     * credentials and {@link #apiKey} is required.
     */
    public Builder credentials(String accessKeyId, Secret secretAccessKey) {
      return credentials(accessKeyId, secretAccessKey, null);
    }

    /**
     * AWS credentials, used to sign every request with SigV4; {@code sessionToken} is the token of
     * temporary credentials (sent as {@code X-Amz-Security-Token}), or null. Defaults to none; exactly
     * one of credentials and {@link #apiKey} is required.
     */
    public Builder credentials(String accessKeyId, Secret secretAccessKey,
        @Nullable Secret sessionToken) {
      this.accessKeyId = requireNonBlank(accessKeyId, "accessKeyId").strip();
      this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
      this.sessionToken = sessionToken;
      return this;
    }

    /**
     * The service name SigV4 signs for. Defaults to {@link BedrockChatProvider#DEFAULT_SIGNING_NAME}
     * ({@code bedrock}); only a proxy that re-signs for another name needs a change.
     */
    public Builder signingName(String signingName) {
      this.signingName = requireNonBlank(signingName, "signingName");
      return this;
    }

    /**
     * The clock signatures are dated by (and retry-after dates measured from). Defaults to
     * {@link BedrockChatProvider#DEFAULT_CLOCK} (the system clock, UTC); tests pass a fixed one.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Header names are lower-cased; those the authentication sets are refused. */
    @Override
    protected String headerName(String name) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.equals("authorization") || n.equals("host") || n.startsWith("x-amz-")) {
        throw new LlmConfigurationException("header '" + name + "' is set by the provider's"
            + " authentication and cannot be configured");
      }
      return n;
    }

    /**
     * Builds the provider; fails with {@link LlmConfigurationException} when there are no credentials or
     * both kinds, or no region where one is needed.
     */
    public BedrockChatProvider build() {
      return new BedrockChatProvider(this, providerName(), apiKeys(), headers(), clients());
    }
  }
}
