package dev.llmgateway.provider.openai.internal;

import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.UnsupportedFeatureException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * What differs between the APIs that speak Chat Completions (OpenAI, Azure OpenAI, Mistral, the compatible
 * servers), so that one {@link ChatCompletionsClient} serves them all: where a request goes, how it is
 * authenticated, which headers name the request, how retry signals are read, and the body's
 * {@link ChatCompletionsDialect}. Build one with {@link #builder}.
 *
 * @param providerName the name in errors and chunks, e.g. {@code azure}
 * @param endpoint the URL a request for a given model is posted to
 * @param auth the credential each call carries
 * @param headers extra headers sent on every call, after the credential (so they may replace it)
 * @param requestIdHeaders response headers holding the provider's request id, the first present wins
 * @param retryHeaders the response headers as {@link dev.llmgateway.provider.internal.http.RetrySignals}
 *     should see them (Azure drops rate-limit values that mean "unknown")
 * @param dialect how the request body is spelt
 */
public record ChatCompletionsConfig(String providerName, Endpoint endpoint, RequestAuth auth,
    Map<String, String> headers, List<String> requestIdHeaders, UnaryOperator<Headers> retryHeaders,
    ChatCompletionsDialect dialect) {

  /** The request-id header of OpenAI and most compatible servers. */
  public static final List<String> DEFAULT_REQUEST_ID_HEADERS = List.of("x-request-id");

  public ChatCompletionsConfig {
    Objects.requireNonNull(providerName, "providerName");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(auth, "auth");
    headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    requestIdHeaders = List.copyOf(Objects.requireNonNull(requestIdHeaders, "requestIdHeaders"));
    Objects.requireNonNull(retryHeaders, "retryHeaders");
    Objects.requireNonNull(dialect, "dialect");
  }

  /**
   * Where an embeddings request for {@code model} is posted: the chat URL with its trailing
   * {@code chat/completions} replaced by {@code embeddings}, query kept. Every API of this family serves
   * embeddings beside chat completions: {@code {baseUrl}/embeddings} for OpenAI, Mistral and the
   * compatible servers, {@code /openai/deployments/{deployment}/embeddings?api-version=...} and
   * {@code /openai/v1/embeddings} for Azure OpenAI.
   *
   * @throws UnsupportedFeatureException when the chat URL does not end in {@code chat/completions}, so
   *     that no embeddings URL can be derived from it
   */
  public HttpUrl embeddingsUrl(String model) {
    HttpUrl chat = endpoint.forModel(model);
    List<String> segments = chat.pathSegments();
    int n = segments.size();
    if (n < 2 || !segments.get(n - 2).equals("chat") || !segments.get(n - 1).equals("completions")) {
      throw new UnsupportedFeatureException("provider '" + providerName + "' posts chat to a URL that"
          + " does not end in chat/completions, so it has no known embeddings URL",
          ErrorContext.of(providerName, model), null);
    }
    return chat.newBuilder().removePathSegment(n - 1).setPathSegment(n - 2, "embeddings").build();
  }

  /** Where the request for a model is posted. */
  @FunctionalInterface
  public interface Endpoint {
    /** The URL for a call to {@code model} (Azure puts the deployment in the path). */
    HttpUrl forModel(String model);
  }

  /**
   * {@code url} parsed, for a provider's configuration.
   *
   * @param what the setting it came from, e.g. {@code baseUrl}, for the message
   * @throws LlmConfigurationException when it is not an http(s) URL
   */
  public static HttpUrl parseUrl(String providerName, String what, String url) {
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      throw new LlmConfigurationException(what + " of provider '" + providerName
          + "' is not an http(s) URL: " + url);
    }
    return parsed;
  }

  /**
   * A builder with: no credential, no extra headers, {@link #DEFAULT_REQUEST_ID_HEADERS}, retry headers
   * read as sent, and {@link ChatCompletionsDialect#OPENAI}.
   */
  public static Builder builder(String providerName, Endpoint endpoint) {
    return new Builder(providerName, endpoint);
  }

  /** Builds a {@link ChatCompletionsConfig}. Not thread-safe. */
  public static final class Builder {
    private final String providerName;
    private final Endpoint endpoint;
    private RequestAuth auth = RequestAuth.none();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private List<String> requestIdHeaders = DEFAULT_REQUEST_ID_HEADERS;
    private UnaryOperator<Headers> retryHeaders = UnaryOperator.identity();
    private ChatCompletionsDialect dialect = ChatCompletionsDialect.OPENAI;

    private Builder(String providerName, Endpoint endpoint) {
      this.providerName = Objects.requireNonNull(providerName, "providerName");
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /** Defaults to {@link RequestAuth#none()}. */
    public Builder auth(RequestAuth auth) {
      this.auth = Objects.requireNonNull(auth, "auth");
      return this;
    }

    /** Adds extra headers; later ones replace earlier ones of the same name. Defaults to none. */
    public Builder headers(Map<String, String> extra) {
      headers.putAll(extra);
      return this;
    }

    /** Defaults to {@link #DEFAULT_REQUEST_ID_HEADERS}. */
    public Builder requestIdHeaders(List<String> names) {
      this.requestIdHeaders = List.copyOf(names);
      return this;
    }

    /** Defaults to the identity: headers as sent. */
    public Builder retryHeaders(UnaryOperator<Headers> filter) {
      this.retryHeaders = Objects.requireNonNull(filter, "retryHeaders");
      return this;
    }

    /** Defaults to {@link ChatCompletionsDialect#OPENAI}. */
    public Builder dialect(ChatCompletionsDialect dialect) {
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    public ChatCompletionsConfig build() {
      return new ChatCompletionsConfig(providerName, endpoint, auth, headers, requestIdHeaders,
          retryHeaders, dialect);
    }
  }
}
