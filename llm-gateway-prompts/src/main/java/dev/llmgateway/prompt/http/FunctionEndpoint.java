package dev.llmgateway.prompt.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.prompt.function.FunctionResult;
import dev.llmgateway.prompt.function.PromptFunction;
import dev.llmgateway.prompt.function.internal.JsonMappers;
import dev.llmgateway.prompt.http.internal.JdkHttpHandler;
import dev.llmgateway.prompt.http.internal.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes prompt functions over HTTP, JSON in and JSON out, with the gateway's whole pipeline behind
 * each call (whatever {@link dev.llmgateway.ChatClient} the functions were built with). One line serves
 * them on the JDK's built-in server:
 *
 * <pre>{@code
 * try (FunctionServer server = FunctionEndpoint.of(sentiment, summarize)
 *     .serve(new InetSocketAddress("127.0.0.1", 8080))) {
 *   ...  // POST http://127.0.0.1:8080/functions/sentiment  {"text": "Great value"}
 * }
 * }</pre>
 *
 * and a host with its own server (Servlet, Netty, Vert.x...) calls {@link #handle} from its handler,
 * or mounts {@link #httpHandler()} on a JDK {@link HttpServer} it already runs.
 *
 * <p><b>Routes</b> (under {@link Builder#basePath}, {@value #DEFAULT_BASE_PATH} by default):
 * <ul>
 *   <li>{@code POST /functions/{name}}: the body (a JSON object; empty means {@code {}}) is the
 *       function's input, checked against its input schema; the answer is {@code 200} with the output
 *       record as JSON, and the headers {@value #HEADER_PROMPT} (the prompt version that ran) and, in an
 *       experiment, {@value #HEADER_VARIANT}.
 *   <li>{@code GET /functions}: the functions, each with its name, description, prompt and input and
 *       output JSON Schemas; {@code GET /functions/{name}}: one of them. Turned off with
 *       {@link Builder#listing}.
 *   <li>{@code HEAD}, wherever {@code GET} is served, answers what {@code GET} would, without the body
 *       (with the body's {@code Content-Length}).
 * </ul>
 *
 * <p><b>Errors</b> are RFC 9457 problem details ({@value #PROBLEM_JSON}) with {@code type} (the
 * {@link Builder#problemTypePrefix} and a name), {@code title}, {@code status}, {@code detail},
 * {@code instance} (the request path), {@code function} when known, and {@code errors} (JSON Pointers
 * and what was expected) for invalid input or output:
 * <table>
 *   <caption>Status mapping</caption>
 *   <tr><th>cause</th><th>status</th><th>type</th></tr>
 *   <tr><td>no such path or function</td><td>404</td><td>not-found</td></tr>
 *   <tr><td>another method</td><td>405, {@code Allow}</td><td>method-not-allowed</td></tr>
 *   <tr><td>body over {@link Builder#maxRequestBytes}</td><td>413, and on the JDK server
 *       {@code Connection: close}</td><td>payload-too-large</td></tr>
 *   <tr><td>a {@code Content-Type} other than JSON, or a {@code charset} other than UTF-8</td><td>415</td>
 *       <td>unsupported-media-type</td></tr>
 *   <tr><td>body not JSON</td><td>400</td><td>invalid-json</td></tr>
 *   <tr><td>body not matching the input schema</td><td>400</td><td>invalid-input</td></tr>
 *   <tr><td>{@code InvalidRequestException} from the gateway's own checks (no provider in its
 *       context: an invalid option, a variable missing from a {@code Map} input)</td><td>400</td>
 *       <td>invalid-request</td></tr>
 *   <tr><td>{@code ContextLengthExceededException}</td><td>400</td><td>context-length-exceeded</td></tr>
 *   <tr><td>{@code GuardRefusedException}</td><td>422</td><td>guard-refused</td></tr>
 *   <tr><td>{@code ContentFilteredException}</td><td>422</td><td>content-filtered</td></tr>
 *   <tr><td>{@code RateLimitedException}</td><td>429, {@code Retry-After} when known</td>
 *       <td>rate-limited</td></tr>
 *   <tr><td>{@code BudgetExceededException}</td><td>429, {@code Retry-After} when known</td>
 *       <td>budget-exceeded</td></tr>
 *   <tr><td>{@code OutputValidationException}</td><td>502</td><td>invalid-output</td></tr>
 *   <tr><td>{@code ProviderUnavailableException}, {@code MalformedResponseException},
 *       {@code AuthenticationException}, {@code StreamInterruptedException}, and an
 *       {@code InvalidRequestException} from the provider (one naming a provider: it refused the request
 *       the gateway built)</td><td>502</td><td>provider-error</td></tr>
 *   <tr><td>{@code NoDeploymentAvailableException}</td><td>503, {@code Retry-After} when known</td>
 *       <td>no-deployment-available</td></tr>
 *   <tr><td>{@code StateStoreUnavailableException}, {@code CallCancelledException}</td><td>503</td>
 *       <td>unavailable</td></tr>
 *   <tr><td>{@code LlmTimeoutException}</td><td>504</td><td>timeout</td></tr>
 *   <tr><td>anything else ({@code UnsupportedFeatureException}, configuration errors, bugs)</td>
 *       <td>500</td><td>internal-error / unsupported-feature</td></tr>
 * </table>
 * A budget is a quota, hence 429 and not 402, which clients do not handle. A detail is a fixed sentence,
 * or the message of a check the gateway made itself on the caller's input; it never holds a provider's
 * error text, an answer, a prompt or a secret. Failures that point at a defect or misconfiguration
 * (the 500s, a provider refusing our credentials or our request) are logged at warning level with their
 * stack trace.
 *
 * <p><b>Metadata.</b> The tenant and user of each call come from the request headers
 * {@link Builder#tenantHeader} ({@value #DEFAULT_TENANT_HEADER}) and {@link Builder#userHeader}
 * ({@value #DEFAULT_USER_HEADER}), merged over each function's own metadata. They are taken as sent:
 * when callers are not trusted, put authentication in front of the endpoint and have it set (or strip)
 * these headers.
 *
 * <p><b>On the JDK server</b> ({@link #serve} and {@link #httpHandler()}), a body over the limit is
 * answered 413 with {@code Connection: close} at once, then read and thrown away (up to 8 MiB) so that a
 * client still sending reads its 413 rather than a reset connection. A client that stops sending its
 * body, or stops reading the answer, is disconnected after {@link Builder#ioTimeout} and its thread
 * freed. The request line and headers are read by the JDK server before the endpoint runs, with no
 * timeout by default: see {@link FunctionServer} for that and for a proxy in front.
 *
 * <p>Immutable and thread-safe; {@link #handle} may be called from any number of threads.
 */
public final class FunctionEndpoint {
  /** The path under which functions are served by default: {@value}. */
  public static final String DEFAULT_BASE_PATH = "/functions";
  /** The largest request body accepted by default, in bytes: {@value} (1 MiB). */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 1_048_576;
  /** The header holding the call's tenant by default: {@value}. */
  public static final String DEFAULT_TENANT_HEADER = "X-Tenant";
  /** The header holding the call's end user by default: {@value}. */
  public static final String DEFAULT_USER_HEADER = "X-User";
  /** Whether {@code GET} lists the functions and their schemas by default: {@value}. */
  public static final boolean DEFAULT_LISTING = true;
  /** The prefix of every problem's {@code type} by default: {@value}. */
  public static final String DEFAULT_PROBLEM_TYPE_PREFIX = "urn:llm-gateway:problem:";
  /** The threads of the pool that {@link #serve(InetSocketAddress)} creates, by default: {@value}. */
  public static final int DEFAULT_SERVER_THREADS = 16;
  /**
   * The longest the JDK server waits for a request's body to arrive, and then for the answer to be
   * taken, by default: 30 seconds.
   */
  public static final Duration DEFAULT_IO_TIMEOUT = Duration.ofSeconds(30);

  /** The media type of a problem: {@value}. */
  public static final String PROBLEM_JSON = "application/problem+json";
  /** The response header naming the prompt version that ran: {@value}. */
  public static final String HEADER_PROMPT = "X-Prompt";
  /** The response header naming the experiment variant, set inside an experiment only: {@value}. */
  public static final String HEADER_VARIANT = "X-Prompt-Variant";

  private static final Logger LOG = LoggerFactory.getLogger(FunctionEndpoint.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final String JSON = "application/json";

  private final Map<String, PromptFunction<?, ?>> functions;
  private final String basePath;
  private final int maxRequestBytes;
  private final @Nullable String tenantHeader;
  private final @Nullable String userHeader;
  private final boolean listing;
  private final String problemTypePrefix;
  private final int serverThreads;
  private final Duration ioTimeout;
  private final ObjectMapper mapper = JsonMappers.create();

  private FunctionEndpoint(Builder b) {
    this.functions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.functions));
    this.basePath = b.basePath;
    this.maxRequestBytes = b.maxRequestBytes;
    this.tenantHeader = b.tenantHeader;
    this.userHeader = b.userHeader;
    this.listing = b.listing;
    this.problemTypePrefix = b.problemTypePrefix;
    this.serverThreads = b.serverThreads;
    this.ioTimeout = b.ioTimeout;
  }

  /** An endpoint for {@code functions} with every default. */
  public static FunctionEndpoint of(PromptFunction<?, ?>... functions) {
    return builder().functions(List.of(functions)).build();
  }

  /** An endpoint for {@code functions} with every default. */
  public static FunctionEndpoint of(Collection<? extends PromptFunction<?, ?>> functions) {
    return builder().functions(functions).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The functions, by name, in the order they were added. */
  public Map<String, PromptFunction<?, ?>> functions() {
    return functions;
  }

  public String basePath() {
    return basePath;
  }

  public int maxRequestBytes() {
    return maxRequestBytes;
  }

  public @Nullable String tenantHeader() {
    return tenantHeader;
  }

  public @Nullable String userHeader() {
    return userHeader;
  }

  public boolean listing() {
    return listing;
  }

  public String problemTypePrefix() {
    return problemTypePrefix;
  }

  public int serverThreads() {
    return serverThreads;
  }

  public Duration ioTimeout() {
    return ioTimeout;
  }

  /**
   * Serves the functions on the JDK's built-in HTTP server at {@code address} (port 0 for any free
   * one), on a pool of {@link Builder#serverThreads} threads that the returned server owns and shuts
   * down when it stops.
   *
   * @throws UncheckedIOException when the address cannot be bound
   */
  public FunctionServer serve(InetSocketAddress address) {
    ExecutorService pool = Executors.newFixedThreadPool(serverThreads, threads());
    try {
      return start(address, pool, pool);
    } catch (RuntimeException e) {
      pool.shutdownNow();
      throw e;
    }
  }

  /**
   * Serves the functions on the JDK's built-in HTTP server at {@code address}, running the calls on
   * the host's {@code executor}, which stays the host's to shut down.
   *
   * @throws UncheckedIOException when the address cannot be bound
   */
  public FunctionServer serve(InetSocketAddress address, Executor executor) {
    return start(address, Objects.requireNonNull(executor, "executor"), null);
  }

  private FunctionServer start(InetSocketAddress address, Executor executor,
      @Nullable ExecutorService owned) {
    Objects.requireNonNull(address, "address");
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve prompt functions at " + address, e);
    }
    server.createContext("/", httpHandler());
    server.setExecutor(executor);
    server.start();
    return new FunctionServer(server, basePath, owned);
  }

  /**
   * A handler for a JDK {@link HttpServer} that the host runs itself: mount it on a context that
   * covers {@link #basePath()}, e.g. {@code server.createContext("/functions", endpoint.httpHandler())}.
   * It keeps at most {@link #maxRequestBytes()} (plus one) bytes of a body, answers a larger one 413 at
   * once and then reads and throws away up to 8 MiB of it (so that the client, still sending, gets the
   * answer), and gives up on a client that sends or reads slower than {@link #ioTimeout()} allows.
   */
  public HttpHandler httpHandler() {
    return new JdkHttpHandler(this::handle, maxRequestBytes, ioTimeout, this::tooLarge);
  }

  /**
   * Answers one HTTP request, with no server involved: what a host calls from its own server's
   * handler. Never throws for a failed call: every failure is a problem response. {@code HEAD} answers
   * what {@code GET} would, with an empty body and the {@code Content-Length} of the {@code GET} body.
   *
   * @param method the HTTP method, e.g. {@code POST}
   * @param path the request path, e.g. {@code /functions/sentiment}; a query string is ignored
   * @param headers the request headers; names are matched case-insensitively
   * @param body the request body; empty for none
   */
  public FunctionHttpResponse handle(String method, String path, Map<String, List<String>> headers,
      byte[] body) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    if (method.equals("HEAD")) {
      FunctionHttpResponse get = handle("GET", path, headers, new byte[0]);
      Map<String, List<String>> head = new LinkedHashMap<>(get.headers());
      head.put("Content-Length", List.of(Integer.toString(get.body().length)));
      return new FunctionHttpResponse(get.status(), head, new byte[0]);
    }
    int query = path.indexOf('?');
    String route = query >= 0 ? path.substring(0, query) : path;
    try {
      if (route.equals(basePath) || route.equals(basePath + "/")) {
        if (!listing) {
          return problem(Problem.of(404, "not-found", "Not found", "no such path"), route, null);
        }
        return method.equals("GET") ? json(200, listingJson(), Map.of())
            : notAllowed(route, null, "GET, HEAD");
      }
      if (!route.startsWith(basePath + "/")) {
        return problem(Problem.of(404, "not-found", "Not found", "no such path"), route, null);
      }
      String name = route.substring(basePath.length() + 1);
      PromptFunction<?, ?> function = functions.get(name);
      if (function == null) {
        return problem(Problem.of(404, "not-found", "Not found", "no function of that name"), route,
            NAME.matcher(name).matches() ? name : null);
      }
      if (method.equals("POST")) {
        return invoke(function, route, headers, body);
      }
      if (listing && method.equals("GET")) {
        return json(200, describe(function), Map.of());
      }
      return notAllowed(route, name, listing ? "GET, HEAD, POST" : "POST");
    } catch (RuntimeException e) {
      LOG.warn("prompt function endpoint failed on {} {}", method, route, e);
      return problem(Problem.of(e), route, null);
    }
  }

  private FunctionHttpResponse invoke(PromptFunction<?, ?> function, String route,
      Map<String, List<String>> headers, byte[] body) {
    String name = function.name();
    if (body.length > maxRequestBytes) {
      return tooLarge(route);
    }
    String contentType = header(headers, "Content-Type");
    if (contentType != null && !isJson(contentType)) {
      return problem(Problem.of(415, "unsupported-media-type", "Unsupported media type",
          "the request body must be application/json"), route, name);
    }
    if (contentType != null && !isUtf8(contentType)) {
      return problem(Problem.of(415, "unsupported-media-type", "Unsupported media type",
          "the request body must be JSON in UTF-8"), route, name);
    }
    JsonNode input;
    try {
      input = body.length == 0 ? mapper.createObjectNode()
          : mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
      return problem(Problem.of(400, "invalid-json", "Invalid JSON",
          "the request body is not a JSON document" + where), route, name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (input == null || input.isMissingNode() || input.isNull()) {
      input = mapper.createObjectNode();
    }
    try {
      return call(function, input, metadata(headers));
    } catch (RuntimeException e) {
      Problem problem = Problem.of(e);
      if (problem.internal()) {
        LOG.warn("prompt function '{}' failed", name, e);
      } else {
        LOG.debug("prompt function '{}' failed: {}", name, e.toString());
      }
      return problem(problem, route, name);
    }
  }

  private <I, O extends Record> FunctionHttpResponse call(PromptFunction<I, O> function, JsonNode input,
      RequestMetadata metadata) {
    I value = function.readInput(input);
    FunctionResult<O> result = function.call(value, metadata);
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put(HEADER_PROMPT, result.promptRef());
    if (result.variant() != null) {
      extra.put(HEADER_VARIANT, result.variant());
    }
    byte[] out;
    try {
      out = function.objectMapper().writeValueAsBytes(function.writeOutput(result.value()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the output of prompt function '" + function.name()
          + "' as JSON", e);
    }
    return response(200, JSON, out, extra);
  }

  private RequestMetadata metadata(Map<String, List<String>> headers) {
    RequestMetadata metadata = RequestMetadata.EMPTY;
    String tenant = tenantHeader == null ? null : header(headers, tenantHeader);
    String user = userHeader == null ? null : header(headers, userHeader);
    if (tenant != null && !tenant.isBlank()) {
      metadata = metadata.withTenant(tenant.strip());
    }
    if (user != null && !user.isBlank()) {
      metadata = metadata.withUser(user.strip());
    }
    return metadata;
  }

  private FunctionHttpResponse tooLarge(String route) {
    String name = null;
    if (route.startsWith(basePath + "/")) {
      String candidate = route.substring(basePath.length() + 1);
      name = functions.containsKey(candidate) ? candidate : null;
    }
    return problem(Problem.of(413, "payload-too-large", "Payload too large",
        "the request body is larger than " + maxRequestBytes + " bytes"), route, name);
  }

  private FunctionHttpResponse notAllowed(String route, @Nullable String name, String allow) {
    FunctionHttpResponse response = problem(Problem.of(405, "method-not-allowed", "Method not allowed",
        "use " + allow), route, name);
    Map<String, List<String>> headers = new LinkedHashMap<>(response.headers());
    headers.put("Allow", List.of(allow));
    return new FunctionHttpResponse(405, headers, response.body());
  }

  private ObjectNode listingJson() {
    ObjectNode root = mapper.createObjectNode();
    ArrayNode list = root.putArray("functions");
    functions.values().forEach(f -> list.add(describe(f)));
    return root;
  }

  private ObjectNode describe(PromptFunction<?, ?> function) {
    ObjectNode node = mapper.createObjectNode();
    node.put("name", function.name());
    if (function.description() != null) {
      node.put("description", function.description());
    }
    node.put("prompt", function.promptRef());
    node.put("path", basePath + "/" + function.name());
    node.set("input", function.inputSchema());
    node.set("output", function.outputSchema().node());
    return node;
  }

  private FunctionHttpResponse problem(Problem problem, String route, @Nullable String function) {
    ObjectNode node = mapper.createObjectNode();
    node.put("type", problemTypePrefix + problem.type());
    node.put("title", problem.title());
    node.put("status", problem.status());
    node.put("detail", problem.detail());
    node.put("instance", route.length() <= 256 ? route : route.substring(0, 256));
    if (function != null) {
      node.put("function", function);
    }
    if (!problem.errors().isEmpty()) {
      ArrayNode errors = node.putArray("errors");
      problem.errors().forEach(errors::add);
    }
    Map<String, String> extra = new LinkedHashMap<>();
    Duration retryAfter = problem.retryAfter();
    if (retryAfter != null && !retryAfter.isNegative()) {
      long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
      extra.put("Retry-After", Long.toString(seconds));
    }
    return response(problem.status(), PROBLEM_JSON, bytes(node), extra);
  }

  private FunctionHttpResponse json(int status, JsonNode body, Map<String, String> extra) {
    return response(status, JSON, bytes(body), extra);
  }

  private byte[] bytes(JsonNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static FunctionHttpResponse response(int status, String contentType, byte[] body,
      Map<String, String> extra) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Content-Type", List.of(contentType));
    headers.put("Cache-Control", List.of("no-store"));
    extra.forEach((k, v) -> headers.put(k, List.of(v)));
    return new FunctionHttpResponse(status, headers, body);
  }

  private static boolean isJson(String contentType) {
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.equals(JSON) || (type.startsWith("application/") && type.endsWith("+json"));
  }

  /** Whether the media type's {@code charset}, if it has one, is UTF-8: JSON is UTF-8 (RFC 8259). */
  private static boolean isUtf8(String contentType) {
    String[] parts = contentType.split(";");
    for (int i = 1; i < parts.length; i++) {
      String[] parameter = parts[i].split("=", 2);
      if (parameter.length == 2 && parameter[0].strip().equalsIgnoreCase("charset")) {
        String charset = parameter[1].strip();
        if (charset.length() >= 2 && charset.startsWith("\"") && charset.endsWith("\"")) {
          charset = charset.substring(1, charset.length() - 1);
        }
        if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
          return false;
        }
      }
    }
    return true;
  }

  private static @Nullable String header(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && e.getValue() != null
          && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  private static ThreadFactory threads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "llm-gateway-functions-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public String toString() {
    return "FunctionEndpoint[" + basePath + ", functions=" + functions.keySet() + "]";
  }

  /** Builds a {@link FunctionEndpoint}. At least one function is required. Not thread-safe. */
  public static final class Builder {
    private final Map<String, PromptFunction<?, ?>> functions = new LinkedHashMap<>();
    private String basePath = DEFAULT_BASE_PATH;
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private @Nullable String tenantHeader = DEFAULT_TENANT_HEADER;
    private @Nullable String userHeader = DEFAULT_USER_HEADER;
    private boolean listing = DEFAULT_LISTING;
    private String problemTypePrefix = DEFAULT_PROBLEM_TYPE_PREFIX;
    private int serverThreads = DEFAULT_SERVER_THREADS;
    private Duration ioTimeout = DEFAULT_IO_TIMEOUT;

    private Builder() {}

    /** Adds a function, served at {@code basePath/name}. Two functions may not share a name. */
    public Builder function(PromptFunction<?, ?> function) {
      Objects.requireNonNull(function, "function");
      if (functions.putIfAbsent(function.name(), function) != null) {
        throw new LlmConfigurationException("two prompt functions are named '" + function.name() + "'");
      }
      return this;
    }

    /** Adds each of {@code functions}. */
    public Builder functions(Collection<? extends PromptFunction<?, ?>> functions) {
      new ArrayList<>(functions).forEach(this::function);
      return this;
    }

    /**
     * The path the functions are served under: {@code /} followed by segments, no trailing slash.
     * Defaults to {@value FunctionEndpoint#DEFAULT_BASE_PATH}.
     */
    public Builder basePath(String basePath) {
      if (basePath == null || !basePath.matches("(/[A-Za-z0-9._~-]+)+")) {
        throw new LlmConfigurationException("basePath must be '/' followed by path segments without a "
            + "trailing slash, e.g. /functions, was '" + basePath + "'");
      }
      this.basePath = basePath;
      return this;
    }

    /**
     * The largest request body accepted; a larger one is answered 413. Defaults to
     * {@value FunctionEndpoint#DEFAULT_MAX_REQUEST_BYTES} bytes.
     */
    public Builder maxRequestBytes(int maxRequestBytes) {
      if (maxRequestBytes < 1) {
        throw new LlmConfigurationException("maxRequestBytes must be at least 1, was " + maxRequestBytes);
      }
      this.maxRequestBytes = maxRequestBytes;
      return this;
    }

    /**
     * The request header holding the call's tenant; null to take none from the request. Defaults to
     * {@value FunctionEndpoint#DEFAULT_TENANT_HEADER}.
     */
    public Builder tenantHeader(@Nullable String tenantHeader) {
      this.tenantHeader = headerName(tenantHeader, "tenantHeader");
      return this;
    }

    /**
     * The request header holding the call's end user (the key of sticky experiments); null to take
     * none from the request. Defaults to {@value FunctionEndpoint#DEFAULT_USER_HEADER}.
     */
    public Builder userHeader(@Nullable String userHeader) {
      this.userHeader = headerName(userHeader, "userHeader");
      return this;
    }

    /**
     * Whether {@code GET basePath} lists the functions with their schemas (and {@code GET
     * basePath/name} describes one). Defaults to {@value FunctionEndpoint#DEFAULT_LISTING}.
     */
    public Builder listing(boolean listing) {
      this.listing = listing;
      return this;
    }

    /**
     * The prefix of each problem's {@code type}, followed by a name such as {@code rate-limited}: a
     * URI where the host documents its problems, or a URN. Defaults to
     * {@value FunctionEndpoint#DEFAULT_PROBLEM_TYPE_PREFIX}.
     */
    public Builder problemTypePrefix(String problemTypePrefix) {
      if (problemTypePrefix == null || problemTypePrefix.isBlank()
          || !java.net.URI.create(problemTypePrefix + "x").isAbsolute()) {
        throw new LlmConfigurationException("problemTypePrefix must start an absolute URI, was '"
            + problemTypePrefix + "'");
      }
      this.problemTypePrefix = problemTypePrefix;
      return this;
    }

    /**
     * The threads of the pool {@link FunctionEndpoint#serve(InetSocketAddress)} runs calls on: the most
     * calls in progress at once (more wait in its queue). Defaults to
     * {@value FunctionEndpoint#DEFAULT_SERVER_THREADS}.
     */
    public Builder serverThreads(int serverThreads) {
      if (serverThreads < 1) {
        throw new LlmConfigurationException("serverThreads must be at least 1, was " + serverThreads);
      }
      this.serverThreads = serverThreads;
      return this;
    }

    /**
     * The longest the JDK server ({@link FunctionEndpoint#serve} and {@link FunctionEndpoint#httpHandler})
     * waits for a request's body to arrive, and then for its answer to be sent: a client slower than that
     * is disconnected and its thread freed (the thread, blocked on the connection, is interrupted, which
     * closes the connection; the interrupt is cleared before the thread goes back to its pool). The call
     * itself is not limited by it (the gateway's own timeouts are). Defaults to 30 seconds
     * ({@link FunctionEndpoint#DEFAULT_IO_TIMEOUT}).
     */
    public Builder ioTimeout(Duration ioTimeout) {
      if (ioTimeout == null || ioTimeout.isNegative() || ioTimeout.isZero()) {
        throw new LlmConfigurationException("ioTimeout must be positive, was " + ioTimeout);
      }
      this.ioTimeout = ioTimeout;
      return this;
    }

    /** The endpoint. */
    public FunctionEndpoint build() {
      if (functions.isEmpty()) {
        throw new LlmConfigurationException("a function endpoint needs at least one prompt function");
      }
      return new FunctionEndpoint(this);
    }

    private static @Nullable String headerName(@Nullable String name, String field) {
      if (name != null && !name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
        throw new LlmConfigurationException(field + " must be an HTTP header name, was '" + name + "'");
      }
      return name;
    }
  }
}
