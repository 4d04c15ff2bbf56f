package dev.llmgateway.provider.openai.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.CallContext;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.LlmException;
import dev.llmgateway.error.LlmTimeoutException;
import dev.llmgateway.error.MalformedResponseException;
import dev.llmgateway.moderation.ModerationResult;
import dev.llmgateway.moderation.Moderator;
import dev.llmgateway.provider.internal.http.ProviderCalls;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.provider.internal.http.TransportErrors;
import dev.llmgateway.provider.openai.internal.KeyRotation;
import dev.llmgateway.provider.openai.internal.OpenAiErrorDecoder;
import dev.llmgateway.provider.openai.internal.ProviderSettingsReader;
import dev.llmgateway.provider.openai.internal.RequestAuth;
import dev.llmgateway.spi.Secret;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Moderator} on OpenAI's moderation endpoint: {@code POST {baseUrl}/moderations} with
 * {@code {"model": "omni-moderation-latest", "input": text}}, read from {@code results[0]}:
 * {@code flagged}, {@code categories} (category to flagged) and {@code category_scores} (category to a
 * score in [0, 1]). The endpoint is free of charge for OpenAI API users.
 *
 * <pre>{@code
 * OpenAiModerator openai = OpenAiModerator.builder()
 *     .apiKey(Secret.of(System.getenv("OPENAI_API_KEY")))
 *     .categoryThreshold("violence", 0.5)      // stricter than OpenAI's own flag
 *     .build();
 * ModerationInterceptor moderation = ModerationInterceptor.builder().moderator(openai).build();
 * }</pre>
 *
 * <p><b>Result.</b> A category counts as flagged when OpenAI flagged it, or when its score reaches a
 * threshold set with {@link Builder#categoryThreshold}. Flagged categories come most likely first; the
 * verdict is {@link Builder#flaggedVerdict} ({@code BLOCK} by default) when any is flagged, else
 * {@code ALLOW}; every score is kept; the matched rule is {@code openai/<model>}. With several results
 * (the endpoint answers one per input; this moderator sends one), they are combined.
 *
 * <p><b>Calls.</b> Authenticated with {@code Authorization: Bearer}, several keys used in turn; bounded by
 * the call's deadline and cancelled with it when called through {@link #moderate(String, CallContext)}
 * (as the gateway's moderation interceptor does). Never retried. Failures map to the exception hierarchy
 * exactly as for chat calls (401/403 authentication, 429 rate limited with its retry-after, 5xx
 * unavailable, ...; see {@code docs/providers/openai.md}), with the key scrubbed from messages; a body
 * without {@code results[0]} is a {@link MalformedResponseException}. The moderated text never appears in
 * an exception.
 *
 * <p>Thread-safe. Close it to release its own HTTP client, if it made one.
 */
public final class OpenAiModerator implements Moderator, AutoCloseable {
  /** OpenAI's API base URL. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  /** The moderation model asked for by default. */
  public static final String DEFAULT_MODEL = "omni-moderation-latest";
  /** The verdict for flagged text by default: {@link ModerationResult.Verdict#BLOCK}. */
  public static final ModerationResult.Verdict DEFAULT_FLAGGED_VERDICT = ModerationResult.Verdict.BLOCK;
  /** The provider name in exceptions by default. */
  public static final String DEFAULT_PROVIDER_NAME = "openai";

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final String providerName;
  private final HttpUrl url;
  private final String model;
  private final ModerationResult.Verdict flaggedVerdict;
  private final Map<String, Double> thresholds;
  private final Map<String, String> headers;
  private final RequestAuth auth;
  private final int keyCount;
  private final OkHttpClient httpClient;
  private final boolean ownsHttpClient;
  private final ObjectMapper mapper;
  private final OpenAiErrorDecoder errors;

  private OpenAiModerator(Builder b) {
    this.providerName = b.providerName;
    String base = ProviderSettingsReader.stripTrailingSlashes(b.baseUrl);
    HttpUrl parsed = HttpUrl.parse(base + "/moderations");
    if (parsed == null) {
      throw new LlmConfigurationException("baseUrl must be an http(s) URL, was '" + b.baseUrl + "'");
    }
    if (b.apiKeys.isEmpty() && base.equals(DEFAULT_BASE_URL)) {
      throw new LlmConfigurationException("the OpenAI moderator needs an API key for " + DEFAULT_BASE_URL);
    }
    this.url = parsed;
    this.model = b.model;
    this.flaggedVerdict = b.flaggedVerdict;
    this.thresholds = Map.copyOf(b.thresholds);
    this.headers = Map.copyOf(b.headers);
    this.auth = RequestAuth.bearer(new KeyRotation(b.apiKeys));
    this.keyCount = b.apiKeys.size();
    this.ownsHttpClient = b.httpClient == null;
    this.httpClient = b.httpClient != null
        ? SharedClients.withoutSilentRetries(b.httpClient)
        : SharedClients.newHttpClient();
    this.mapper = b.objectMapper != null ? b.objectMapper : SharedClients.newObjectMapper();
    this.errors = new OpenAiErrorDecoder(mapper, providerName, auth::secrets, Clock.systemUTC());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The endpoint called, {@code {baseUrl}/moderations}. */
  public String url() {
    return url.toString();
  }

  public String model() {
    return model;
  }

  public ModerationResult.Verdict flaggedVerdict() {
    return flaggedVerdict;
  }

  /** The score thresholds per category; empty when only OpenAI's own flags count. */
  public Map<String, Double> categoryThresholds() {
    return thresholds;
  }

  public String providerName() {
    return providerName;
  }

  /** Moderates {@code text} outside any call: no deadline, no cancellation. */
  @Override
  public ModerationResult moderate(String text) {
    return moderate(text, CallContext.standalone(false));
  }

  @Override
  public ModerationResult moderate(String text, CallContext context) {
    ErrorContext errorContext = ErrorContext.of(providerName, model);
    ObjectNode body = mapper.createObjectNode().put("model", model).put("input", text);
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("could not encode a moderation request", e);
    }
    Request.Builder http = new Request.Builder().url(url).post(RequestBody.create(bytes, JSON))
        .header("Accept", "application/json");
    auth.apply(http, errorContext);
    headers.forEach(http::header);
    Call call = httpClient.newCall(http.build());
    Duration timeout = context.options().timeout();
    if (timeout != null) {
      Duration left = timeout.minus(Duration.between(context.startedAt(), Instant.now()));
      if (left.isNegative() || left.isZero()) {
        throw new LlmTimeoutException("the call's deadline of " + timeout
            + " passed before moderation was asked", errorContext, null);
      }
      call.timeout().timeout(left.toNanos(), TimeUnit.NANOSECONDS);
    }
    context.onCancel(call::cancel);
    try (Response response = call.execute()) {
      ErrorContext answered = errorContext.withHttpStatus(response.code())
          .withRequestId(response.header("x-request-id"));
      if (!response.isSuccessful()) {
        throw errorOf(response, answered);
      }
      return decode(response.body().bytes(), answered);
    } catch (IOException e) {
      throw TransportErrors.beforeStream(e, call, context, errorContext);
    }
  }

  private LlmException errorOf(Response response, ErrorContext context) throws IOException {
    byte[] body = ProviderCalls.errorBody(response);
    return errors.fromHttp(response.code(), response.headers(), body, response.header("Content-Type"),
        context);
  }

  private ModerationResult decode(byte[] body, ErrorContext context) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (IOException e) {
      throw new MalformedResponseException(providerName
          + " answered the moderation request with a body that is not valid JSON (" + body.length
          + " bytes)", context, null);
    }
    if (root != null && OpenAiErrorDecoder.isError(root)) {
      throw errors.fromSuccessBody(root, context);
    }
    JsonNode results = root == null ? null : root.get("results");
    if (results == null || !results.isArray() || results.isEmpty() || !results.get(0).isObject()) {
      throw new MalformedResponseException(providerName
          + " answered the moderation request without results[0]", context, null);
    }
    Map<String, Double> scores = new LinkedHashMap<>();
    Set<String> flagged = new LinkedHashSet<>();
    for (JsonNode result : results) {
      for (Map.Entry<String, JsonNode> e : result.path("category_scores").properties()) {
        if (e.getValue().isNumber()) {
          double s = Math.max(0, Math.min(1, e.getValue().asDouble()));
          scores.merge(e.getKey(), s, Math::max);
        }
      }
      for (Map.Entry<String, JsonNode> e : result.path("categories").properties()) {
        if (e.getValue().asBoolean(false)) {
          flagged.add(e.getKey());
        }
      }
    }
    thresholds.forEach((category, threshold) -> {
      Double s = scores.get(category);
      if (s != null && s >= threshold) {
        flagged.add(category);
      }
    });
    if (flagged.isEmpty()) {
      return ModerationResult.allowed(scores);
    }
    List<String> categories = new ArrayList<>(flagged);
    categories.sort(Comparator.comparingDouble((String c) -> scores.getOrDefault(c, 0.0)).reversed());
    return new ModerationResult(flaggedVerdict, categories, scores, providerName + "/" + model);
  }

  /** Shuts down the HTTP client if this moderator created it; a client given to it is left alone. */
  @Override
  public void close() {
    if (ownsHttpClient) {
      httpClient.dispatcher().executorService().shutdown();
      httpClient.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "OpenAiModerator[url=" + url + ", model=" + model + ", apiKeys=" + keyCount
        + ", verdict=" + flaggedVerdict + (thresholds.isEmpty() ? "" : ", thresholds=" + thresholds)
        + "]";
  }

  /** Builds an {@link OpenAiModerator}. Not thread-safe. */
  public static final class Builder {
    private String providerName = DEFAULT_PROVIDER_NAME;
    private String baseUrl = DEFAULT_BASE_URL;
    private String model = DEFAULT_MODEL;
    private ModerationResult.Verdict flaggedVerdict = DEFAULT_FLAGGED_VERDICT;
    private final Map<String, Double> thresholds = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final List<Secret> apiKeys = new ArrayList<>();
    private @Nullable OkHttpClient httpClient;
    private @Nullable ObjectMapper objectMapper;

    private Builder() {}

    /** Names the provider in exceptions. Defaults to {@value OpenAiModerator#DEFAULT_PROVIDER_NAME}. */
    public Builder providerName(String providerName) {
      this.providerName = nonBlank(providerName, "providerName");
      return this;
    }

    /**
     * The API base URL, to which {@code /moderations} is appended. Defaults to
     * {@value OpenAiModerator#DEFAULT_BASE_URL}, which requires a key.
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = nonBlank(baseUrl, "baseUrl");
      return this;
    }

    /** The moderation model. Defaults to {@value OpenAiModerator#DEFAULT_MODEL}. */
    public Builder model(String model) {
      this.model = nonBlank(model, "model");
      return this;
    }

    /** Adds an API key; several are used in turn. Defaults to none. */
    public Builder apiKey(Secret key) {
      if (key == null) {
        throw new LlmConfigurationException("apiKey must not be null");
      }
      apiKeys.add(key);
      return this;
    }

    /**
     * The verdict for flagged text: {@code BLOCK}, or {@code FLAG} to report only. Defaults to
     * {@code BLOCK}.
     */
    public Builder flaggedVerdict(ModerationResult.Verdict verdict) {
      if (verdict == null || verdict == ModerationResult.Verdict.ALLOW) {
        throw new LlmConfigurationException("flaggedVerdict must be BLOCK or FLAG, was " + verdict);
      }
      this.flaggedVerdict = verdict;
      return this;
    }

    /**
     * Flags {@code category} (as OpenAI names it, e.g. {@code violence}, {@code self-harm/intent}) when its
     * score reaches {@code threshold}, in [0, 1], whether or not OpenAI flagged it. Defaults to none: only
     * OpenAI's own flags count.
     */
    public Builder categoryThreshold(String category, double threshold) {
      nonBlank(category, "category");
      if (!(threshold >= 0 && threshold <= 1)) {
        throw new LlmConfigurationException("threshold of " + category + " must be in [0, 1], was "
            + threshold);
      }
      thresholds.put(category, threshold);
      return this;
    }

    /** Adds a header to every request, e.g. {@code OpenAI-Project}. Defaults to none. */
    public Builder header(String name, String value) {
      headers.put(nonBlank(name, "header name"), nonBlank(value, "header value"));
      return this;
    }

    /**
     * The HTTP client, e.g. the gateway's shared one. Defaults to a client of the moderator's own, shut
     * down by {@link OpenAiModerator#close()}.
     */
    public Builder httpClient(@Nullable OkHttpClient httpClient) {
      this.httpClient = httpClient;
      return this;
    }

    /** The JSON mapper. Defaults to a lenient mapper of its own. */
    public Builder objectMapper(@Nullable ObjectMapper objectMapper) {
      this.objectMapper = objectMapper;
      return this;
    }

    /**
     * Builds the moderator.
     *
     * @throws LlmConfigurationException when the base URL is not http(s), or is OpenAI's and no key is set
     */
    public OpenAiModerator build() {
      return new OpenAiModerator(this);
    }

    private static String nonBlank(@Nullable String value, String name) {
      if (value == null || value.isBlank()) {
        throw new LlmConfigurationException(name + " must not be blank");
      }
      return value;
    }
  }
}
