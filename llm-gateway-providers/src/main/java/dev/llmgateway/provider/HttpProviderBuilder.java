package dev.llmgateway.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.provider.internal.http.SharedClients;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.spi.SharedResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * The settings every HTTP provider's builder shares: its name, API keys, extra headers, HTTP client, JSON
 * mapper and the gateway's {@link SharedResources}. Each adapter's builder extends it with its own
 * settings (base URL, API version, region...), so that every provider is configured the same way; a
 * provider written outside this project can extend it too. Not thread-safe.
 *
 * <p>What a subclass decides: how keys are sent and whether one is required, how header names are
 * normalized ({@link #headerName}), and which of the two ways of resolving the HTTP client it uses:
 * {@link #clients()} (the given ones, else the shared ones of {@link #resources}, else those of a private
 * {@code SharedResources} the provider closes) or {@link #givenOrSharedHttpClient()} /
 * {@link #givenOrSharedObjectMapper()} (null when the provider makes its own).
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class HttpProviderBuilder<B extends HttpProviderBuilder<B>> {
  private String providerName;
  private final List<Secret> apiKeys = new ArrayList<>();
  private final Map<String, String> headers = new LinkedHashMap<>();
  private @Nullable OkHttpClient httpClient;
  private @Nullable ObjectMapper objectMapper;
  private @Nullable SharedResources resources;

  /** @param defaultProviderName the provider's {@code DEFAULT_PROVIDER_NAME} */
  protected HttpProviderBuilder(String defaultProviderName) {
    this.providerName = requireNonBlank(defaultProviderName, "providerName");
  }

  /** This builder as its concrete type. */
  protected abstract B self();

  /**
   * The name in model strings and in errors. Defaults to the provider's {@code DEFAULT_PROVIDER_NAME}.
   */
  public B providerName(String providerName) {
    this.providerName = requireNonBlank(providerName, "providerName");
    return self();
  }

  /**
   * Adds an API key; several keys rotate, one per call. How it is sent, and whether one is required, is
   * documented on the provider's builder. Defaults to none.
   */
  public B apiKey(Secret apiKey) {
    apiKeys.add(Objects.requireNonNull(apiKey, "apiKey"));
    return self();
  }

  /** Adds a key given as text; see {@link #apiKey(Secret)}. */
  public B apiKey(String apiKey) {
    return apiKey(Secret.of(apiKey));
  }

  /** Replaces the API keys; several keys rotate, one per call. Defaults to none. */
  public B apiKeys(List<Secret> keys) {
    List<Secret> copy = List.copyOf(Objects.requireNonNull(keys, "apiKeys"));
    apiKeys.clear();
    apiKeys.addAll(copy);
    return self();
  }

  /**
   * Adds a header sent on every call, after the standard ones (it replaces one of the same name).
   * Defaults to none.
   */
  public B header(String name, String value) {
    headers.put(checkedHeaderName(name), Objects.requireNonNull(value, "header value"));
    return self();
  }

  /** Replaces the extra headers with those of {@code headers}; see {@link #header}. Defaults to none. */
  public B headers(Map<String, String> headers) {
    Objects.requireNonNull(headers, "headers");
    Map<String, String> checked = new LinkedHashMap<>();
    headers.forEach((name, value) -> checked.put(checkedHeaderName(name),
        Objects.requireNonNull(value, () -> "the value of header '" + name + "' must not be null")));
    this.headers.clear();
    this.headers.putAll(checked);
    return self();
  }

  /**
   * The HTTP client, usually the gateway's shared one. Defaults to the one of {@link #resources} when
   * they are given ({@link SharedClients#httpClient}), else to a client of the provider's own made with
   * {@link SharedClients#newHttpClient()}.
   */
  public B httpClient(OkHttpClient httpClient) {
    this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
    return self();
  }

  /**
   * The JSON mapper, usually the gateway's shared one. Defaults to the one of {@link #resources} when
   * they are given ({@link SharedClients#objectMapper}), else to {@link SharedClients#newObjectMapper()},
   * which ignores unknown properties.
   */
  public B objectMapper(ObjectMapper objectMapper) {
    this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
    return self();
  }

  /**
   * Where the default HTTP client and mapper come from; the gateway passes its own. Defaults to none:
   * the provider makes its own, released when it is closed.
   */
  public B resources(SharedResources resources) {
    this.resources = Objects.requireNonNull(resources, "resources");
    return self();
  }

  /** {@code name}, required non-blank, as {@link #headerName} stores it. */
  private String checkedHeaderName(@Nullable String name) {
    return headerName(requireNonBlank(name, "header name"));
  }

  /**
   * The name a header is stored and sent under, or a {@link LlmConfigurationException} for a header the
   * provider sets itself. Called by {@link #header} with a non-blank name; returns it unchanged unless a
   * subclass overrides it (e.g. to lower-case it).
   */
  protected String headerName(String name) {
    return name;
  }

  /** The configured provider name. */
  protected final String providerName() {
    return providerName;
  }

  /** A copy of the configured API keys, in order. */
  protected final List<Secret> apiKeys() {
    return List.copyOf(apiKeys);
  }

  /** A copy of the extra headers, in the order they were added. */
  protected final Map<String, String> headers() {
    return new LinkedHashMap<>(headers);
  }

  /**
   * The given HTTP client, else the shared one of {@link #resources} when they are given; null when
   * neither is set and the provider makes (and owns) a client of its own.
   */
  protected final @Nullable OkHttpClient givenOrSharedHttpClient() {
    if (httpClient != null) {
      return httpClient;
    }
    return resources != null ? SharedClients.httpClient(resources) : null;
  }

  /**
   * The given JSON mapper, else the shared one of {@link #resources} when they are given; null when
   * neither is set and the provider makes its own.
   */
  protected final @Nullable ObjectMapper givenOrSharedObjectMapper() {
    if (objectMapper != null) {
      return objectMapper;
    }
    return resources != null ? SharedClients.objectMapper(resources) : null;
  }

  /**
   * The HTTP client and mapper to build with: the given ones, else those of {@link #resources}, else
   * those of a new private {@link SharedResources}, returned as {@link Clients#ownedResources()} for the
   * provider to close. Call it once per provider built.
   */
  protected final Clients clients() {
    SharedResources from = resources;
    SharedResources owned = null;
    if (from == null && (httpClient == null || objectMapper == null)) {
      from = new SharedResources();
      owned = from;
    }
    OkHttpClient client = httpClient != null ? httpClient
        : SharedClients.httpClient(Objects.requireNonNull(from));
    ObjectMapper mapper = objectMapper != null ? objectMapper
        : SharedClients.objectMapper(Objects.requireNonNull(from));
    return new Clients(client, mapper, owned);
  }

  /**
   * {@code value}, or a {@link LlmConfigurationException} "{@code what} must not be blank" when it is
   * null or blank.
   */
  protected static String requireNonBlank(@Nullable String value, String what) {
    if (value == null || value.isBlank()) {
      throw new LlmConfigurationException(what + " must not be blank");
    }
    return value;
  }

  /**
   * The HTTP client and JSON mapper a provider is built with, resolved by {@link #clients()}.
   *
   * @param httpClient the client to call through
   * @param objectMapper the mapper bodies are read and written with
   * @param ownedResources the private resources the client and mapper came from, which the provider
   *     closes when it is closed; null when they are the caller's or the gateway's
   */
  public record Clients(OkHttpClient httpClient, ObjectMapper objectMapper,
      @Nullable SharedResources ownedResources) {

    /** Checks the client and the mapper are present. */
    public Clients {
      Objects.requireNonNull(httpClient, "httpClient");
      Objects.requireNonNull(objectMapper, "objectMapper");
    }
  }
}
