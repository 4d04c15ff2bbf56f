package dev.llmgateway.prompt.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.Role;
import dev.llmgateway.prompt.Prompt;
import dev.llmgateway.prompt.PromptDefinitionException;
import dev.llmgateway.prompt.PromptExperiment;
import dev.llmgateway.prompt.PromptMessage;
import dev.llmgateway.prompt.PromptParameters;
import dev.llmgateway.prompt.PromptTemplate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads one prompt YAML file, strictly: unknown fields, missing required fields, wrong types, templates
 * that do not compile and variables used but not declared are {@link PromptDefinitionException}s naming
 * the file and the field path ({@code versions[1].messages[0].user}). The format is described in
 * {@link dev.llmgateway.prompt.PromptRegistry}. One reader per registry build; not thread-safe.
 */
public final class PromptFileReader {
  private static final Set<String> FILE_FIELDS =
      Set.of("name", "owner", "description", "versions", "experiment");
  private static final Set<String> VERSION_FIELDS = Set.of("version", "current", "model", "owner",
      "description", "parameters", "variables", "messages");
  private static final Set<String> PARAMETER_FIELDS = Set.of("temperature", "topP", "maxOutputTokens",
      "seed", "frequencyPenalty", "presencePenalty", "stop");
  private static final Set<String> ROLES = Set.of("system", "user", "assistant");
  private static final Set<String> EXPERIMENT_FIELDS = Set.of("name", "stickyKey", "variants");
  private static final Set<String> VARIANT_FIELDS = Set.of("name", "version", "model", "percent");

  private final YAMLMapper mapper;
  private final Map<String, String> partials;

  /** A reader compiling templates with {@code partials} (name to source). */
  public PromptFileReader(Map<String, String> partials) {
    this.mapper = new YAMLMapper(YAMLFactory.builder()
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    this.partials = Map.copyOf(partials);
  }

  /**
   * A version read from a file.
   *
   * @param prompt the version
   * @param current whether the file marks it current
   * @param field where it is in the file, e.g. {@code versions[2]}
   */
  public record VersionDefinition(Prompt prompt, boolean current, String field) {}

  /**
   * What a prompt file defines.
   *
   * @param origin the file
   * @param name the prompt's name
   * @param versions its versions, in file order
   * @param experiment its experiment; null for none
   */
  public record PromptFile(String origin, String name, List<VersionDefinition> versions,
      @Nullable PromptExperiment experiment) {}

  /** Reads the prompt file {@code origin} whose text is {@code content}. */
  public PromptFile read(String content, String origin) {
    JsonNode root;
    try {
      root = mapper.readTree(content);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at != null && at.getLineNr() > 0
          ? " at line " + at.getLineNr() + ", column " + at.getColumnNr() : "";
      String why = e.getOriginalMessage();
      why = why == null ? "" : why.lines().findFirst().orElse("").strip();
      throw new PromptDefinitionException(origin, null, "is not valid YAML" + where
          + (why.isEmpty() ? "" : ": " + why), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new PromptDefinitionException(origin, null, "is empty");
    }
    Node file = new Node(origin, "", root);
    file.requireObject();
    file.allowOnly(FILE_FIELDS);
    String name = file.requiredString("name");
    try {
      Prompt.builder(name, 1); // checks the name
    } catch (PromptDefinitionException e) {
      throw file.rewrap(e);
    }
    String owner = file.optionalString("owner");
    String description = file.optionalString("description");
    Node versionsNode = file.required("versions");
    versionsNode.requireNonEmptyArray();
    List<VersionDefinition> versions = new ArrayList<>();
    Set<Integer> seen = new java.util.HashSet<>();
    for (int i = 0; i < versionsNode.size(); i++) {
      Node v = versionsNode.element(i);
      VersionDefinition def = version(name, owner, description, v);
      if (!seen.add(def.prompt().version())) {
        throw new PromptDefinitionException(origin, v.path + ".version",
            "version " + def.prompt().version() + " of '" + name + "' is defined twice in this file");
      }
      versions.add(def);
    }
    Node experimentNode = file.optional("experiment");
    PromptExperiment experiment = experimentNode == null ? null : experiment(name, experimentNode);
    return new PromptFile(origin, name, List.copyOf(versions), experiment);
  }

  private VersionDefinition version(String name, @Nullable String fileOwner,
      @Nullable String fileDescription, Node v) {
    v.requireObject();
    v.allowOnly(VERSION_FIELDS);
    int version = v.requiredInt("version", 1);
    String ref = name + "@" + version;
    boolean current = v.optionalBoolean("current", false);
    String model = v.requiredString("model");
    String owner = v.optionalString("owner");
    String description = v.optionalString("description");
    Node paramsNode = v.optional("parameters");
    PromptParameters parameters = paramsNode == null ? PromptParameters.NONE : parameters(paramsNode);
    Node variablesNode = v.optional("variables");
    Set<String> declared = variablesNode == null ? null : declared(variablesNode);
    Node messagesNode = v.required("messages");
    messagesNode.requireNonEmptyArray();
    Prompt.Builder prompt;
    try {
      prompt = Prompt.builder(name, version).modelGroup(model).parameters(parameters)
          .owner(owner != null ? owner : fileOwner)
          .description(description != null ? description : fileDescription);
    } catch (PromptDefinitionException e) {
      throw v.rewrap(e);
    }
    Set<String> used = new TreeSet<>();
    for (int i = 0; i < messagesNode.size(); i++) {
      Node m = messagesNode.element(i);
      m.requireObject();
      if (m.node.size() != 1) {
        throw m.error("must have exactly one of the fields " + new TreeSet<>(ROLES) + ", has "
            + m.fieldNames());
      }
      String roleName = m.node.fieldNames().next();
      if (!ROLES.contains(roleName)) {
        throw new PromptDefinitionException(m.origin, m.path + "." + roleName,
            "unknown field; expected one of " + new TreeSet<>(ROLES));
      }
      String source = m.requiredString(roleName);
      Role role = Role.valueOf(roleName.toUpperCase(Locale.ROOT));
      PromptTemplate template;
      try {
        template = PromptTemplate.compile(ref + " messages[" + i + "]", source, partials);
      } catch (PromptDefinitionException e) {
        throw m.child(roleName).rewrap(e);
      }
      if (declared != null) {
        for (String variable : template.variables()) {
          if (!declared.contains(variable)) {
            String partial = template.variablesFromPartials().get(variable);
            throw new PromptDefinitionException(m.origin, m.path + "." + roleName, "uses variable '"
                + variable + "'" + (partial != null ? " (through partial '" + partial + "')" : "")
                + ", which is not among the declared variables " + new TreeSet<>(declared));
          }
        }
      }
      used.addAll(template.variables());
      prompt.message(new PromptMessage(role, template));
    }
    if (declared != null) {
      for (String variable : declared) {
        if (!used.contains(variable)) {
          throw new PromptDefinitionException(v.origin, v.path + ".variables",
              "declares variable '" + variable + "', which no message uses");
        }
      }
    }
    try {
      return new VersionDefinition(prompt.build(), current, v.path);
    } catch (PromptDefinitionException e) {
      throw v.rewrap(e);
    }
  }

  private static PromptParameters parameters(Node p) {
    p.requireObject();
    p.allowOnly(PARAMETER_FIELDS);
    List<String> stop = new ArrayList<>();
    Node stopNode = p.optional("stop");
    if (stopNode != null) {
      stopNode.requireArray();
      for (int i = 0; i < stopNode.size(); i++) {
        stop.add(stopNode.element(i).string());
      }
    }
    try {
      return new PromptParameters(p.optionalDouble("temperature"), p.optionalDouble("topP"),
          p.optionalInt("maxOutputTokens"), p.optionalLong("seed"), p.optionalDouble("frequencyPenalty"),
          p.optionalDouble("presencePenalty"), stop);
    } catch (PromptDefinitionException e) {
      // the parameters' own field names start with "parameters."
      throw new PromptDefinitionException(p.origin, p.path.substring(0, p.path.length()
          - "parameters".length()) + (e.field() != null ? e.field() : "parameters"), e.problem(), e);
    }
  }

  private static Set<String> declared(Node variables) {
    variables.requireArray();
    Set<String> declared = new LinkedHashSet<>();
    for (int i = 0; i < variables.size(); i++) {
      String variable = variables.element(i).string();
      if (!declared.add(variable)) {
        throw variables.element(i).error("declares '" + variable + "' twice");
      }
    }
    return declared;
  }

  private static PromptExperiment experiment(String prompt, Node e) {
    e.requireObject();
    e.allowOnly(EXPERIMENT_FIELDS);
    String name = e.requiredString("name");
    PromptExperiment.Builder builder;
    try {
      builder = PromptExperiment.builder(name, prompt);
    } catch (PromptDefinitionException x) {
      throw e.rewrap(x);
    }
    String stickyKey = e.optionalString("stickyKey");
    if (stickyKey != null) {
      builder.stickyKey(stickyKey(e.child("stickyKey"), stickyKey));
    }
    Node variants = e.required("variants");
    variants.requireNonEmptyArray();
    for (int i = 0; i < variants.size(); i++) {
      Node v = variants.element(i);
      v.requireObject();
      v.allowOnly(VARIANT_FIELDS);
      String variant = v.requiredString("name");
      Integer version = v.optional("version") == null ? null : v.requiredInt("version", 1);
      String model = v.optionalString("model");
      double percent = v.requiredDouble("percent");
      try {
        builder.variant(variant, version, model, percent);
      } catch (PromptDefinitionException x) {
        throw v.rewrap(x);
      }
    }
    try {
      return builder.build();
    } catch (PromptDefinitionException x) {
      throw e.rewrap(x);
    }
  }

  /**
   * The sticky key named in YAML: {@code user} (the default), {@code tenant}, {@code application} or
   * {@code tag:<key>}.
   */
  private static Function<RequestMetadata, @Nullable String> stickyKey(Node at, String spec) {
    switch (spec) {
      case "user":
        return RequestMetadata::user;
      case "tenant":
        return RequestMetadata::tenant;
      case "application":
        return RequestMetadata::application;
      default:
        if (spec.startsWith("tag:") && spec.length() > "tag:".length()) {
          String tag = spec.substring("tag:".length());
          return metadata -> metadata.tags().get(tag);
        }
        throw at.error("must be user, tenant, application or tag:<key>, was '" + spec + "'");
    }
  }

  /** A YAML node with its file and path, for errors. */
  private static final class Node {
    final String origin;
    final String path;
    final JsonNode node;

    Node(String origin, String path, JsonNode node) {
      this.origin = origin;
      this.path = path;
      this.node = node;
    }

    PromptDefinitionException error(String message) {
      return new PromptDefinitionException(origin, path.isEmpty() ? null : path, message);
    }

    PromptDefinitionException rewrap(PromptDefinitionException e) {
      String field = e.field() == null ? path : (path.isEmpty() ? e.field() : path + "." + e.field());
      return new PromptDefinitionException(origin, field.isEmpty() ? null : field, e.problem(), e);
    }

    Node child(String field) {
      return new Node(origin, path.isEmpty() ? field : path + "." + field, node.path(field));
    }

    Node element(int index) {
      return new Node(origin, path + "[" + index + "]", node.get(index));
    }

    int size() {
      return node.size();
    }

    List<String> fieldNames() {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      return names;
    }

    void requireObject() {
      if (!node.isObject()) {
        throw error("must be a mapping, was " + type(node));
      }
    }

    void requireArray() {
      if (!node.isArray()) {
        throw error("must be a list, was " + type(node));
      }
    }

    void requireNonEmptyArray() {
      requireArray();
      if (node.isEmpty()) {
        throw error("must not be empty");
      }
    }

    void allowOnly(Set<String> allowed) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (!allowed.contains(field)) {
          throw child(field).error("unknown field; known fields: " + new TreeSet<>(allowed));
        }
      }
    }

    @Nullable Node optional(String field) {
      JsonNode value = node.get(field);
      return value == null || value.isNull() ? null : child(field);
    }

    Node required(String field) {
      Node value = optional(field);
      if (value == null) {
        throw child(field).error("missing required field");
      }
      return value;
    }

    String string() {
      if (!node.isTextual()) {
        throw error("must be a string, was " + type(node));
      }
      return node.textValue();
    }

    String requiredString(String field) {
      String value = required(field).string();
      if (value.isBlank()) {
        throw child(field).error("must not be blank");
      }
      return value;
    }

    @Nullable String optionalString(String field) {
      Node value = optional(field);
      if (value == null) {
        return null;
      }
      String s = value.string();
      if (s.isBlank()) {
        throw value.error("must not be blank (leave it out instead)");
      }
      return s;
    }

    boolean optionalBoolean(String field, boolean otherwise) {
      Node value = optional(field);
      if (value == null) {
        return otherwise;
      }
      if (!value.node.isBoolean()) {
        throw value.error("must be true or false, was " + type(value.node));
      }
      return value.node.booleanValue();
    }

    int requiredInt(String field, int min) {
      Node value = required(field);
      if (!value.node.isIntegralNumber() || !value.node.canConvertToInt()) {
        throw value.error("must be a whole number, was " + type(value.node));
      }
      int i = value.node.intValue();
      if (i < min) {
        throw value.error("must be at least " + min + ", was " + i);
      }
      return i;
    }

    @Nullable Integer optionalInt(String field) {
      return optional(field) == null ? null : requiredInt(field, Integer.MIN_VALUE);
    }

    @Nullable Long optionalLong(String field) {
      Node value = optional(field);
      if (value == null) {
        return null;
      }
      if (!value.node.isIntegralNumber() || !value.node.canConvertToLong()) {
        throw value.error("must be a whole number, was " + type(value.node));
      }
      return value.node.longValue();
    }

    double requiredDouble(String field) {
      Node value = required(field);
      if (!value.node.isNumber()) {
        throw value.error("must be a number, was " + type(value.node));
      }
      return value.node.doubleValue();
    }

    @Nullable Double optionalDouble(String field) {
      return optional(field) == null ? null : requiredDouble(field);
    }

    private static String type(JsonNode node) {
      if (node.isTextual()) {
        return "a string";
      }
      if (node.isNumber()) {
        return "a number";
      }
      if (node.isBoolean()) {
        return "a boolean";
      }
      if (node.isArray()) {
        return "a list";
      }
      if (node.isObject()) {
        return "a mapping";
      }
      return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
  }
}
