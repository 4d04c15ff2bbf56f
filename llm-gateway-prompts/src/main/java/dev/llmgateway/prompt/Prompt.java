package dev.llmgateway.prompt;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.Role;
import dev.llmgateway.prompt.internal.ContentHash;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One version of a prompt: a versioned, owned artifact rather than a string in the code. A version
 * never changes once released (its {@link #contentHash} is recorded in the registry's lock file); to
 * change a prompt, add a version. Callers refer to it as {@code name@version} ({@link #ref()}), or by
 * name for the version marked current in a {@link PromptRegistry}.
 *
 * <p>Written in YAML and loaded by a {@link PromptRegistry}, or in code with {@link #builder}:
 * <pre>{@code
 * Prompt summarize = Prompt.builder("summarize", 3)
 *     .modelGroup("chat-fast")
 *     .parameters(PromptParameters.builder().temperature(0.2).maxOutputTokens(300).build())
 *     .owner("search-team")
 *     .system("You summarize documents in {{language}}.")
 *     .user("{{text}}")
 *     .build();
 * }</pre>
 *
 * @param name the prompt's name: letters, digits, {@code .}, {@code _} and {@code -}, starting with a
 *     letter or digit
 * @param version the version, at least 1
 * @param modelGroup the model or model group the version was written and tested for; becomes the
 *     request's {@code model}, so it may be a gateway alias, a router model group or {@code provider/model}
 * @param parameters the sampling parameters it was tuned with
 * @param owner who answers for it (a team or person); null when unowned
 * @param description what it is for; null for none
 * @param messages its messages, in order; never empty
 * @param contentHash hex SHA-256 of the canonical content (model group, parameters, messages' roles
 *     and templates, and the partials they include; not the name, version, owner or description). Must
 *     match the content; {@link Builder#build()} computes it.
 */
public record Prompt(String name, int version, String modelGroup, PromptParameters parameters,
    @Nullable String owner, @Nullable String description, List<PromptMessage> messages,
    String contentHash) {

  /** Parameters by default: {@link PromptParameters#NONE}, every one the provider's default. */
  public static final PromptParameters DEFAULT_PARAMETERS = PromptParameters.NONE;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  public Prompt {
    checkName(name);
    check(version >= 1, "version", "must be at least 1, was " + version);
    check(modelGroup != null && !modelGroup.isBlank(), "modelGroup", "must not be blank");
    check(parameters != null, "parameters", "must not be null");
    check(owner == null || !owner.isBlank(), "owner", "must not be blank (null for none)");
    check(messages != null && !messages.isEmpty(), "messages", "must not be empty");
    for (int i = 0; i < messages.size(); i++) {
      check(messages.get(i) != null, "messages[" + i + "]", "must not be null");
    }
    messages = List.copyOf(messages);
    check(contentHash != null, "contentHash", "must not be null");
    String expected = hashOf(modelGroup, parameters, messages);
    check(expected.equals(contentHash), "contentHash",
        "does not match the content of " + name + "@" + version);
  }

  /** Checks a prompt name, failing with a {@link PromptDefinitionException} naming the rule. */
  static void checkName(@Nullable String name) {
    check(name != null && NAME.matcher(name).matches(), "name",
        "must be letters, digits, '.', '_' or '-', starting with a letter or digit, was '" + name + "'");
  }

  private static void check(boolean condition, String field, String message) {
    if (!condition) {
      throw new PromptDefinitionException(null, field, message);
    }
  }

  /** A builder for a prompt written in code. */
  public static Builder builder(String name, int version) {
    return new Builder(name, version);
  }

  /** A builder holding this version's content, e.g. to derive the next version. */
  public Builder toBuilder() {
    Builder b = new Builder(name, version).modelGroup(modelGroup).parameters(parameters).owner(owner)
        .description(description);
    for (PromptMessage m : messages) {
      b.partials.putAll(m.template().partials());
      b.message(m.role(), m.template().source());
    }
    return b;
  }

  /** {@code name@version}, e.g. {@code summarize@3}: how usage records and logs refer to it. */
  public String ref() {
    return name + "@" + version;
  }

  /** The top-level variables of all its messages, sorted: what {@link #toRequest} needs. */
  public Set<String> variables() {
    Set<String> all = new TreeSet<>();
    for (PromptMessage m : messages) {
      all.addAll(m.template().variables());
    }
    return java.util.Collections.unmodifiableSet(all);
  }

  /**
   * The request this version makes with {@code variables}: model = {@link #modelGroup}, its parameters,
   * its messages rendered, and the metadata tag {@code prompt} = {@link #ref()}.
   *
   * @throws MissingVariableException naming every top-level variable that is absent (or the first
   *     nested one that cannot be resolved)
   */
  public ChatRequest toRequest(Map<String, ?> variables) {
    return toRequest(variables, RequestMetadata.EMPTY);
  }

  /** As {@link #toRequest(Map)}, with {@code metadata} gaining the tag {@code prompt} = {@link #ref()}. */
  public ChatRequest toRequest(Map<String, ?> variables, RequestMetadata metadata) {
    java.util.Objects.requireNonNull(variables, "variables");
    java.util.Objects.requireNonNull(metadata, "metadata");
    Set<String> absent = new TreeSet<>();
    for (String variable : variables()) {
      if (!variables.containsKey(variable)) {
        absent.add(variable);
      }
    }
    if (!absent.isEmpty()) {
      throw new MissingVariableException(ref(), absent);
    }
    ChatRequest.Builder request = ChatRequest.builder().model(modelGroup);
    for (PromptMessage m : messages) {
      request.message(new Message(m.role(), List.of(new ContentPart.Text(m.template().render(variables)))));
    }
    parameters.applyTo(request);
    Map<String, String> tags = new LinkedHashMap<>(metadata.tags());
    tags.put(PromptSelection.TAG_PROMPT, ref());
    return request.metadata(metadata.withTags(tags)).build();
  }

  /** The content hash of a version with this content; see {@link #contentHash}. */
  static String hashOf(String modelGroup, PromptParameters parameters, List<PromptMessage> messages) {
    return ContentHash.sha256(canonicalContent(modelGroup, parameters, messages));
  }

  static String canonicalContent(String modelGroup, PromptParameters p, List<PromptMessage> messages) {
    Map<String, @Nullable Object> params = new LinkedHashMap<>();
    params.put("temperature", p.temperature());
    params.put("topP", p.topP());
    params.put("maxOutputTokens", p.maxOutputTokens());
    params.put("seed", p.seed());
    params.put("frequencyPenalty", p.frequencyPenalty());
    params.put("presencePenalty", p.presencePenalty());
    params.put("stop", p.stop().isEmpty() ? null : p.stop());
    List<ContentHash.Part> parts = new ArrayList<>();
    Map<String, String> partials = new TreeMap<>();
    for (PromptMessage m : messages) {
      parts.add(new ContentHash.Part(m.role().name().toLowerCase(Locale.ROOT), m.template().source()));
      partials.putAll(m.template().partials());
    }
    return ContentHash.canonical(modelGroup, params, parts, partials);
  }

  /** The reference only: a prompt's text never goes to logs through {@code toString}. */
  @Override
  public String toString() {
    return "Prompt[" + ref() + ", modelGroup=" + modelGroup + ", owner=" + owner + ", hash="
        + contentHash.substring(0, 12) + "]";
  }

  /**
   * Builds a {@link Prompt} in code. The templates are compiled when built, named
   * {@code name@version messages[i]}, with the partials given to {@link #partial}. Not thread-safe.
   */
  public static final class Builder {
    private final String name;
    private final int version;
    private @Nullable String modelGroup;
    private PromptParameters parameters = DEFAULT_PARAMETERS;
    private @Nullable String owner;
    private @Nullable String description;
    private final List<Object> messages = new ArrayList<>();
    private final Map<String, String> partials = new LinkedHashMap<>();

    /** A message whose template is compiled when the prompt is built. */
    private record Source(Role role, String template) {}

    private Builder(String name, int version) {
      checkName(name);
      check(version >= 1, "version", "must be at least 1, was " + version);
      this.name = name;
      this.version = version;
    }

    /** The model or model group it is meant for. Required. */
    public Builder modelGroup(String modelGroup) {
      this.modelGroup = modelGroup;
      return this;
    }

    /** Defaults to {@link #DEFAULT_PARAMETERS}: none. */
    public Builder parameters(PromptParameters parameters) {
      check(parameters != null, "parameters", "must not be null");
      this.parameters = parameters;
      return this;
    }

    /** Defaults to null: unowned. */
    public Builder owner(@Nullable String owner) {
      this.owner = owner;
      return this;
    }

    /** Defaults to null: no description. */
    public Builder description(@Nullable String description) {
      this.description = description;
      return this;
    }

    /** A partial the messages may include with {@code {{> name}}}. Defaults to none. */
    public Builder partial(String name, String source) {
      check(name != null && !name.isBlank(), "partial.name", "must not be blank");
      check(source != null, "partial '" + name + "'", "source must not be null");
      partials.put(name, source);
      return this;
    }

    /** Adds a message whose template is compiled when built. */
    public Builder message(Role role, String template) {
      check(role != null, "message.role", "must not be null");
      check(template != null, "message.template", "must not be null");
      messages.add(new Source(role, template));
      return this;
    }

    /** Adds a message with a template compiled already (its name and partials kept as they are). */
    public Builder message(PromptMessage message) {
      check(message != null, "message", "must not be null");
      messages.add(message);
      return this;
    }

    public Builder system(String template) {
      return message(Role.SYSTEM, template);
    }

    public Builder user(String template) {
      return message(Role.USER, template);
    }

    public Builder assistant(String template) {
      return message(Role.ASSISTANT, template);
    }

    /**
     * Compiles the templates and builds the prompt with its content hash.
     *
     * @throws PromptDefinitionException when a field is invalid or a template does not compile
     */
    public Prompt build() {
      check(modelGroup != null && !modelGroup.isBlank(), "modelGroup", "must not be blank");
      String ref = name + "@" + version;
      List<PromptMessage> compiled = new ArrayList<>();
      for (int i = 0; i < messages.size(); i++) {
        Object m = messages.get(i);
        if (m instanceof PromptMessage pm) {
          compiled.add(pm);
        } else {
          Source source = (Source) m;
          compiled.add(new PromptMessage(source.role(),
              PromptTemplate.compile(ref + " messages[" + i + "]", source.template(), partials)));
        }
      }
      return new Prompt(name, version, modelGroup, parameters, owner, description, compiled,
          hashOf(modelGroup, parameters, compiled));
    }
  }
}
