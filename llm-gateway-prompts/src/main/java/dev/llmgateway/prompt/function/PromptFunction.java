package dev.llmgateway.prompt.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatClient;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.FinishReason;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.OutputValidationException;
import dev.llmgateway.prompt.MissingVariableException;
import dev.llmgateway.prompt.Prompt;
import dev.llmgateway.prompt.PromptClient;
import dev.llmgateway.prompt.PromptExperiment;
import dev.llmgateway.prompt.PromptRegistry;
import dev.llmgateway.prompt.PromptSelection;
import dev.llmgateway.prompt.UnknownPromptException;
import dev.llmgateway.prompt.function.internal.InputCoverage;
import dev.llmgateway.prompt.function.internal.JsonMappers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A registered prompt, a model group and an output record type, as a typed function: the input's
 * fields become the template's variables, the request asks for JSON matching the record's
 * {@link RecordSchema} (as its {@link ResponseFormat}), and the answer is parsed into the record.
 * Callers need to know neither the prompt's text nor the model behind it.
 *
 * <pre>{@code
 * enum Label { POSITIVE, NEGATIVE, NEUTRAL }
 * record Review(String text) {}
 * record Sentiment(Label label, double confidence) {}
 *
 * PromptFunction<Review, Sentiment> sentiment = PromptFunction
 *     .builder("sentiment", Review.class, Sentiment.class)
 *     .client(gateway)          // any ChatClient; an LlmGateway runs the whole pipeline
 *     .registry(registry)       // where "sentiment" (its current version) is found
 *     .build();
 *
 * Sentiment s = sentiment.apply(new Review("Great value, would buy again"));
 * FunctionResult<Sentiment> r = sentiment.call(new Review("..."), RequestMetadata.EMPTY.withTenant("acme"));
 * r.value(); r.response().usage(); r.response().cost(); r.variant();
 * }</pre>
 *
 * <p><b>Input.</b> A record (its components, converted with Jackson, are the variables: nested records
 * become maps, enums strings) or a {@code Map<String, Object>} ({@link #builder(String, Class)}). Over
 * HTTP, {@link #readInput} checks a JSON body against the input record's schema.
 *
 * <p><b>Checked when built, against every version a call may get.</b> A call may get any version that
 * {@link PromptRegistry#select} can return: the pinned one for {@code "name@3"}; for a bare name, the
 * current version, or with an experiment on the prompt each variant's version. {@link Builder#build()}
 * refuses (with an {@link LlmConfigurationException} naming the version and the variant) an input
 * record that lacks a top-level variable of any of them, or whose component used as a top-level value
 * tag ({@code {{note}}}, {@code {{user.name}}}) may be null: an {@code Optional} or {@code @Nullable}
 * component may be left out of a valid input, and a value tag over null cannot render. Such a component
 * is fine inside a section over it ({@code {{#note}}Note: {{note}}{{/note}}}), which null switches off.
 * For a map input, {@link #inputSchema()} requires the variables of all those versions, and every call
 * must supply them all, whichever version it gets.
 *
 * <p><b>Each call</b> selects the prompt through {@link PromptRegistry#select} (so experiments apply,
 * sticky per user), renders it, sets the model group and the response format, adds the metadata tag
 * {@value #TAG_FUNCTION} = the function's name, and sends it through the {@link ChatClient} with the
 * call's {@link CallOptions}. The model group is the experiment variant's when the variant names one
 * ({@link PromptSelection#variantModelGroup()}, even when it is the prompt's own group), else the
 * builder's {@link Builder#modelGroup} when set, else the prompt version's.
 *
 * <p><b>Errors about the input.</b> A record input is checked against its schema before rendering (an
 * {@link InputValidationException} when, say, a non-null component is null); a valid record input that
 * the prompt still cannot render is the function's defect, not the caller's (the build checks only
 * top-level names: a name inside a section, or a key of a {@code Map} component, can still be
 * missing), so it is an {@link LlmConfigurationException} naming the prompt version, the variable and
 * the input record, which the HTTP endpoint answers with a 500. For a map input, a missing key is the
 * caller's {@link InvalidRequestException}.
 *
 * <p><b>Output.</b> One Markdown code fence around the answer is removed
 * ({@link Builder#stripCodeFence}); the text must then be one JSON document matching the output
 * schema, read into the record with Jackson. Anything else (not JSON, a missing or extra field, a wrong
 * type, an enum value outside the set, a refusal, no text) is an {@link OutputValidationException}
 * whose message names the function, the prompt version and the first failing field as a JSON Pointer
 * ({@code /confidence: expected a number, found a string}), never the answer's text: that stays in
 * {@link OutputValidationException#rawText()}, for the caller to log with care. No repair call is made
 * here; install the middleware's {@code OutputValidationInterceptor} in the gateway for that.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <In> the input type: a record, or {@code Map<String, Object>}
 * @param <Out> the output record type
 */
public final class PromptFunction<In, Out extends Record> implements Function<In, Out> {
  /** The model group by default: null, the prompt's own. */
  public static final @Nullable String DEFAULT_MODEL_GROUP = null;
  /** Whether the output schema is strict (OpenAI's strict structured outputs) by default: {@value}. */
  public static final boolean DEFAULT_STRICT = true;
  /** The metadata merged under each call's by default: {@link RequestMetadata#EMPTY}. */
  public static final RequestMetadata DEFAULT_METADATA = RequestMetadata.EMPTY;
  /** The call options of a call that gives none, by default: {@link CallOptions#DEFAULT}. */
  public static final CallOptions DEFAULT_CALL_OPTIONS = CallOptions.DEFAULT;
  /** Whether one Markdown code fence around the answer is removed by default: {@value}. */
  public static final boolean DEFAULT_STRIP_CODE_FENCE = true;
  /** The metadata tag naming the function on every request it sends. */
  public static final String TAG_FUNCTION = "function";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern FENCE =
      Pattern.compile("\\A\\s*```[A-Za-z0-9_-]*[ \\t]*\\r?\\n(.*?)\\r?\\n?```\\s*\\z", Pattern.DOTALL);
  private static final TypeReference<LinkedHashMap<String, Object>> VARIABLES = new TypeReference<>() {};

  private final String name;
  private final String promptRef;
  private final @Nullable String description;
  private final @Nullable String modelGroup;
  private final Class<In> inputType;
  private final @Nullable RecordSchema<?> inputSchema;
  private final ObjectNode inputSchemaNode;
  private final Set<String> requiredVariables;
  private final RecordSchema<Out> outputSchema;
  private final ResponseFormat responseFormat;
  private final ChatClient client;
  private final PromptRegistry registry;
  private final ObjectMapper mapper;
  private final RequestMetadata metadata;
  private final CallOptions callOptions;
  private final boolean stripCodeFence;

  private PromptFunction(Builder<In, Out> b, PromptRegistry registry, ChatClient client) {
    this.promptRef = b.promptRef;
    this.registry = registry;
    this.client = client;
    Prompt prompt;
    try {
      prompt = registry.get(promptRef);
    } catch (UnknownPromptException e) {
      throw new LlmConfigurationException("prompt function for '" + promptRef + "': the registry has "
          + "no such prompt", ErrorContext.EMPTY, e);
    }
    this.name = b.name != null ? b.name : prompt.name();
    if (!NAME.matcher(name).matches()) {
      throw new LlmConfigurationException("prompt function name '" + name + "' must be 1 to 64 letters, "
          + "digits, '.', '_' or '-', starting with a letter or digit");
    }
    this.description = b.description != null ? b.description : prompt.description();
    this.modelGroup = b.modelGroup;
    this.mapper = b.mapper != null ? b.mapper : newObjectMapper();
    this.metadata = b.metadata;
    this.callOptions = b.callOptions;
    this.stripCodeFence = b.stripCodeFence;
    this.inputType = b.inputType;
    this.outputSchema = RecordSchema.of(b.outputType, b.strict, mapper);
    this.responseFormat = new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, name.replace('.', '_'),
        outputSchema.json(), b.strict);
    Map<Prompt, String> selectable = selectable(registry, promptRef, prompt);
    if (b.inputRecord != null) {
      RecordSchema<?> schema = RecordSchema.of(b.inputRecord, false, mapper);
      for (Map.Entry<Prompt, String> version : selectable.entrySet()) {
        List<String> problems = InputCoverage.problems(schema.shape(), version.getKey());
        if (!problems.isEmpty()) {
          throw new LlmConfigurationException("prompt function '" + name + "': " + version.getKey().ref()
              + " (" + version.getValue() + ") " + String.join("; it ", problems));
        }
      }
      this.inputSchema = schema;
      this.inputSchemaNode = schema.node();
      this.requiredVariables = Set.of();
    } else {
      Set<String> all = new TreeSet<>();
      selectable.keySet().forEach(p -> all.addAll(p.variables()));
      this.inputSchema = null;
      this.requiredVariables = Collections.unmodifiableSet(all);
      this.inputSchemaNode = variablesSchema(all);
    }
  }

  /**
   * The versions {@link PromptRegistry#select} can return for {@code ref}, whatever the call's
   * metadata, each with where it comes from: a pinned version; else every variant's version when the
   * prompt has an experiment; else the current version.
   */
  private static Map<Prompt, String> selectable(PromptRegistry registry, String ref, Prompt asked) {
    Map<Prompt, String> versions = new LinkedHashMap<>();
    PromptExperiment experiment = registry.experiment(asked.name());
    if (ref.indexOf('@') >= 0) {
      versions.put(asked, "the pinned version");
    } else if (experiment == null) {
      versions.put(asked, "the current version");
    } else {
      for (PromptExperiment.Variant variant : experiment.variants()) {
        Prompt version = variant.version() == null ? asked
            : registry.get(asked.name() + "@" + variant.version());
        String origin = "experiment '" + experiment.name() + "' variant '" + variant.name() + "'";
        versions.merge(version, origin, (a, b) -> a + ", " + b);
      }
    }
    return versions;
  }

  /**
   * A builder for a function whose input is a map of template variables.
   *
   * @param promptRef the prompt in the registry: {@code "sentiment"} for its current version, or
   *     {@code "sentiment@2"}
   * @param outputType the record the answer is parsed into
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <Out extends Record> Builder<Map<String, Object>, Out> builder(String promptRef,
      Class<Out> outputType) {
    return new Builder<>(promptRef, (Class) Map.class, null, outputType);
  }

  /**
   * A builder for a function whose input is a record, its components the template's variables.
   *
   * @param promptRef the prompt in the registry: {@code "sentiment"} for its current version, or
   *     {@code "sentiment@2"}
   * @param inputType the input record
   * @param outputType the record the answer is parsed into
   */
  public static <In extends Record, Out extends Record> Builder<In, Out> builder(String promptRef,
      Class<In> inputType, Class<Out> outputType) {
    return new Builder<>(promptRef, inputType, Objects.requireNonNull(inputType, "inputType"), outputType);
  }

  /**
   * A new Jackson mapper set up as prompt functions need it: {@code Optional} and java.time support
   * (ISO-8601 strings), unknown properties fail, floats are never silently truncated to integers. The
   * default of {@link Builder#objectMapper}; a new instance each time.
   */
  public static ObjectMapper newObjectMapper() {
    return JsonMappers.create();
  }

  /** The function's name: its route over HTTP and the {@value #TAG_FUNCTION} tag of its requests. */
  public String name() {
    return name;
  }

  /** The prompt reference it calls, as given: {@code "sentiment"} or {@code "sentiment@2"}. */
  public String promptRef() {
    return promptRef;
  }

  /** What it does, for listings: the builder's, else the prompt's description; null for none. */
  public @Nullable String description() {
    return description;
  }

  /** The model group that replaces the prompt's; null to use the prompt's own. */
  public @Nullable String modelGroup() {
    return modelGroup;
  }

  /** The input type: a record class, or {@code Map}. */
  public Class<In> inputType() {
    return inputType;
  }

  /** The output record type. */
  public Class<Out> outputType() {
    return outputSchema.type();
  }

  /**
   * The JSON Schema of the input: the input record's (non-strict: nullable components may be left out),
   * or for a map input an object listing as required the variables of every version a call may get
   * (with an experiment, the union over its variants). A copy.
   */
  public ObjectNode inputSchema() {
    return inputSchemaNode.deepCopy();
  }

  /** The output record's schema, as sent in {@link #responseFormat()}. */
  public RecordSchema<Out> outputSchema() {
    return outputSchema;
  }

  /** The response format every request carries: the output schema, named after the function. */
  public ResponseFormat responseFormat() {
    return responseFormat;
  }

  /** Whether the output schema is strict. */
  public boolean strict() {
    return outputSchema.strict();
  }

  /** The metadata every call's is merged over. */
  public RequestMetadata metadata() {
    return metadata;
  }

  /** The call options of a call that gives none. */
  public CallOptions callOptions() {
    return callOptions;
  }

  /** Whether one Markdown code fence around the answer is removed before parsing. */
  public boolean stripCodeFence() {
    return stripCodeFence;
  }

  /** The mapper that converts inputs and reads answers. Do not reconfigure it: it is shared. */
  public ObjectMapper objectMapper() {
    return mapper;
  }

  /** The answer's value for {@code input}, with the function's metadata and call options. */
  @Override
  public Out apply(In input) {
    return call(input).value();
  }

  /** Calls the function with its own metadata and call options. */
  public FunctionResult<Out> call(In input) {
    return call(input, RequestMetadata.EMPTY, callOptions);
  }

  /** Calls the function for {@code metadata} (tenant, user...), with its own call options. */
  public FunctionResult<Out> call(In input, RequestMetadata metadata) {
    return call(input, metadata, callOptions);
  }

  /**
   * Calls the function.
   *
   * @param metadata merged over the function's own: its tenant, user and application win when set,
   *     its tags are added
   * @param options the call's timeout and interceptor options, in place of the function's
   * @throws InputValidationException when a record input does not match its schema (a null non-null
   *     component), or a map input lacks a variable of a version the function may select
   * @throws InvalidRequestException when the input is null, or a map input's values do not render
   *     (a {@link MissingVariableException})
   * @throws LlmConfigurationException when a valid record input does not render: the prompt needs
   *     a value the record does not guarantee (a name inside a section, a key of a map component)
   * @throws OutputValidationException when the answer is not JSON matching the output record
   * @throws dev.llmgateway.error.LlmException whatever the gateway's pipeline throws
   */
  public FunctionResult<Out> call(In input, RequestMetadata metadata, CallOptions options) {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(options, "options");
    Map<String, Object> variables = variables(input);
    RequestMetadata merged = merged(metadata);
    PromptSelection selection = registry.select(promptRef, merged);
    ChatRequest request;
    try {
      request = selection.toRequest(variables, merged);
    } catch (MissingVariableException e) {
      if (inputSchema == null) {
        throw e; // the caller chose the map's keys and values
      }
      // The input matched the record's schema, and the build checked the record against every
      // version: what is missing is a name inside a section, or a key of a Map component.
      throw new LlmConfigurationException("prompt function '" + name + "': " + selection.ref()
          + " cannot be rendered from a valid " + inputType.getSimpleName() + " input: "
          + e.getMessage() + "; the prompt needs a value that the input record "
          + inputType.getSimpleName() + " does not guarantee", ErrorContext.EMPTY, e);
    }
    ChatRequest sent = request.toBuilder()
        .model(modelGroupFor(selection))
        .responseFormat(responseFormat)
        .build();
    ChatResponse response = client.chat(sent, options);
    return new FunctionResult<>(parse(response, selection), response, selection);
  }

  /**
   * The input {@code json} (a request body) as an {@code In}: checked against the input schema (a map
   * input needs to be an object with the keys {@link #inputSchema()} requires), then converted with
   * Jackson.
   *
   * @throws InputValidationException listing what is wrong, each error a JSON Pointer and what was
   *     expected, never a value
   */
  @SuppressWarnings("unchecked")
  public In readInput(JsonNode json) {
    Objects.requireNonNull(json, "json");
    List<String> errors = new ArrayList<>();
    if (inputSchema == null) {
      if (!json.isObject()) {
        throw new InputValidationException(name, List.of("/: expected an object"));
      }
      Set<String> keys = new TreeSet<>();
      json.fieldNames().forEachRemaining(keys::add);
      checkRequired(keys);
      return (In) mapper.convertValue(json, VARIABLES);
    }
    Object value = inputSchema.read(json, errors);
    if (value == null) {
      throw new InputValidationException(name, errors);
    }
    return (In) value;
  }

  /** {@code value} as JSON, written with the function's mapper: what the HTTP endpoint answers. */
  public JsonNode writeOutput(Out value) {
    return mapper.valueToTree(Objects.requireNonNull(value, "value"));
  }

  private Map<String, Object> variables(@Nullable In input) {
    if (input == null) {
      throw new InvalidRequestException("prompt function '" + name + "': the input must not be null");
    }
    if (input instanceof Map<?, ?> map) {
      Map<String, Object> variables = new LinkedHashMap<>();
      map.forEach((k, v) -> {
        if (!(k instanceof String key)) {
          throw new InvalidRequestException("prompt function '" + name + "': variable names must be "
              + "strings, found a " + (k == null ? "null" : k.getClass().getSimpleName()));
        }
        variables.put(key, v);
      });
      checkRequired(variables.keySet());
      return variables;
    }
    if (inputSchema == null) {
      throw new InvalidRequestException("prompt function '" + name + "': the input must be a Map, was a "
          + input.getClass().getSimpleName());
    }
    JsonNode tree = mapper.valueToTree(input);
    List<String> errors = inputSchema.validateInPlace(tree);
    if (!errors.isEmpty()) {
      throw new InputValidationException(name, errors);
    }
    return mapper.convertValue(tree, VARIABLES);
  }

  /** Fails unless a map input has every variable of every version the function may select. */
  private void checkRequired(Set<String> keys) {
    List<String> errors = new ArrayList<>();
    for (String variable : requiredVariables) {
      if (!keys.contains(variable)) {
        errors.add("/" + variable.replace("~", "~0").replace("/", "~1")
            + ": required property is missing");
      }
    }
    if (!errors.isEmpty()) {
      throw new InputValidationException(name, errors);
    }
  }

  private RequestMetadata merged(RequestMetadata call) {
    Map<String, String> tags = new LinkedHashMap<>(metadata.tags());
    tags.putAll(call.tags());
    tags.put(TAG_FUNCTION, name);
    return new RequestMetadata(
        call.tenant() != null ? call.tenant() : metadata.tenant(),
        call.user() != null ? call.user() : metadata.user(),
        call.application() != null ? call.application() : metadata.application(),
        tags);
  }

  /** The variant's own group, else the builder's, else the selected version's. */
  private String modelGroupFor(PromptSelection selection) {
    if (selection.variantModelGroup() != null) {
      return selection.variantModelGroup();
    }
    return modelGroup != null ? modelGroup : selection.modelGroup();
  }

  private Out parse(ChatResponse response, PromptSelection selection) {
    if (response.refusal() != null) {
      throw invalid(response, selection, List.of("/: the model refused to answer"),
          response.refusal());
    }
    String text = response.text();
    if (text.isBlank()) {
      throw invalid(response, selection, List.of("/: the answer has no text"), text);
    }
    String json = stripCodeFence ? unfenced(text) : text;
    JsonNode tree;
    try {
      tree = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(json);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      String cut = response.finishReason() == FinishReason.LENGTH
          ? " (the answer was cut off at the output token limit)" : "";
      throw invalid(response, selection, List.of("/: the answer is not a JSON document" + where + cut),
          text);
    }
    if (tree == null || tree.isMissingNode()) {
      throw invalid(response, selection, List.of("/: the answer is not a JSON document"), text);
    }
    List<String> errors = new ArrayList<>();
    Out value = outputSchema.read(tree, errors);
    if (value == null) {
      throw invalid(response, selection, errors, text);
    }
    return value;
  }

  private OutputValidationException invalid(ChatResponse response, PromptSelection selection,
      List<String> errors, @Nullable String rawText) {
    String message = "prompt function '" + name + "' (prompt " + selection.prompt().ref()
        + "): the answer does not match " + outputSchema.type().getSimpleName() + ": " + errors.size()
        + " error" + (errors.size() == 1 ? "" : "s") + ", first: " + errors.get(0);
    ErrorContext context = ErrorContext.of(response.provider().isEmpty() ? null : response.provider(),
        response.model().isEmpty() ? null : response.model()).withRequestId(response.requestId());
    return new OutputValidationException(message, rawText == null ? "" : rawText, errors, context, null);
  }

  /** {@code text} without one Markdown code fence around it, or unchanged when it has none. */
  static String unfenced(String text) {
    Matcher m = FENCE.matcher(text);
    return m.matches() ? m.group(1).strip() : text;
  }

  private static ObjectNode variablesSchema(Set<String> variables) {
    ObjectNode schema = JsonNodeFactory.instance.objectNode();
    schema.put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    variables.forEach(v -> properties.putObject(v));
    variables.forEach(schema.putArray("required")::add);
    return schema;
  }

  @Override
  public String toString() {
    return "PromptFunction[" + name + ", prompt=" + promptRef + ", output="
        + outputSchema.type().getSimpleName() + "]";
  }

  /**
   * Builds a {@link PromptFunction}. {@link #client} and {@link #registry} (or both at once,
   * {@link #promptClient}) are required. Not
   * thread-safe.
   *
   * @param <In> the input type
   * @param <Out> the output record type
   */
  public static final class Builder<In, Out extends Record> {
    private final String promptRef;
    private final Class<In> inputType;
    private final @Nullable Class<? extends Record> inputRecord;
    private final Class<Out> outputType;
    private @Nullable ChatClient client;
    private @Nullable PromptRegistry registry;
    private @Nullable String name;
    private @Nullable String description;
    private @Nullable String modelGroup = DEFAULT_MODEL_GROUP;
    private boolean strict = DEFAULT_STRICT;
    private RequestMetadata metadata = DEFAULT_METADATA;
    private CallOptions callOptions = DEFAULT_CALL_OPTIONS;
    private @Nullable ObjectMapper mapper;
    private boolean stripCodeFence = DEFAULT_STRIP_CODE_FENCE;

    private Builder(String promptRef, Class<In> inputType, @Nullable Class<? extends Record> inputRecord,
        Class<Out> outputType) {
      this.promptRef = nonBlank(promptRef, "promptRef");
      this.inputType = inputType;
      this.inputRecord = inputRecord;
      this.outputType = nonNull(outputType, "outputType");
    }

    /** The client that sends the calls; an {@code LlmGateway} runs its whole pipeline. Required. */
    public Builder<In, Out> client(ChatClient client) {
      this.client = nonNull(client, "client");
      return this;
    }

    /** The client and registry of {@code prompts}: the same as {@link #client} and {@link #registry}. */
    public Builder<In, Out> promptClient(PromptClient prompts) {
      nonNull(prompts, "promptClient");
      return client(prompts.client()).registry(prompts.registry());
    }

    /** The registry the prompt is selected from, with its experiments. Required. */
    public Builder<In, Out> registry(PromptRegistry registry) {
      this.registry = nonNull(registry, "registry");
      return this;
    }

    /**
     * The function's name: its HTTP route and request tag; 1 to 64 letters, digits, {@code .},
     * {@code _} or {@code -}. Defaults to the prompt's name.
     */
    public Builder<In, Out> name(String name) {
      this.name = nonBlank(name, "name");
      return this;
    }

    /** What the function does, for listings. Defaults to the prompt's description. */
    public Builder<In, Out> description(String description) {
      this.description = nonBlank(description, "description");
      return this;
    }

    /**
     * The model or model group to call in place of the prompt's. An experiment variant that names a
     * model group still wins, even when it names the prompt's own group. Defaults to
     * {@link PromptFunction#DEFAULT_MODEL_GROUP}: null, the prompt's.
     */
    public Builder<In, Out> modelGroup(@Nullable String modelGroup) {
      if (modelGroup != null) {
        nonBlank(modelGroup, "modelGroup");
      }
      this.modelGroup = modelGroup;
      return this;
    }

    /**
     * Whether the output schema is strict: every property required, no maps, and {@code strict: true}
     * in the response format. Defaults to {@value PromptFunction#DEFAULT_STRICT}.
     */
    public Builder<In, Out> strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * Metadata every call's is merged over, e.g. the application. Defaults to
     * {@link PromptFunction#DEFAULT_METADATA}: none.
     */
    public Builder<In, Out> metadata(RequestMetadata metadata) {
      this.metadata = nonNull(metadata, "metadata");
      return this;
    }

    /**
     * The options of calls that give none (e.g. a timeout). Defaults to
     * {@link PromptFunction#DEFAULT_CALL_OPTIONS}.
     */
    public Builder<In, Out> callOptions(CallOptions callOptions) {
      this.callOptions = nonNull(callOptions, "callOptions");
      return this;
    }

    /**
     * The Jackson mapper that converts inputs and reads answers; it should be set up like
     * {@link PromptFunction#newObjectMapper()}. Defaults to a new one from that method.
     */
    public Builder<In, Out> objectMapper(ObjectMapper mapper) {
      this.mapper = nonNull(mapper, "mapper");
      return this;
    }

    /**
     * Whether one Markdown code fence around the answer is removed before parsing. Defaults to
     * {@value PromptFunction#DEFAULT_STRIP_CODE_FENCE}.
     */
    public Builder<In, Out> stripCodeFence(boolean stripCodeFence) {
      this.stripCodeFence = stripCodeFence;
      return this;
    }

    /**
     * The function.
     *
     * @throws LlmConfigurationException when the client or registry is missing, the prompt is not in
     *     the registry, a record type has no JSON schema, or the input record does not cover a version
     *     a call may get (see the class documentation): it lacks a top-level variable, or a top-level
     *     value tag names a component that may be null or does not exist
     */
    public PromptFunction<In, Out> build() {
      return new PromptFunction<>(this, nonNull(registry, "registry"), nonNull(client, "client"));
    }

    private static <T> T nonNull(@Nullable T value, String field) {
      if (value == null) {
        throw new LlmConfigurationException("prompt function: " + field + " must not be null");
      }
      return value;
    }

    private static String nonBlank(@Nullable String value, String field) {
      if (value == null || value.isBlank()) {
        throw new LlmConfigurationException("prompt function: " + field + " must not be blank");
      }
      return value;
    }
  }
}
