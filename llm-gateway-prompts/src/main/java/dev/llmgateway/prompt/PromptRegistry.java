package dev.llmgateway.prompt;

import dev.llmgateway.RequestMetadata;
import dev.llmgateway.prompt.internal.FolderFile;
import dev.llmgateway.prompt.internal.PromptFileReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The prompts an application uses, as versioned artifacts: every version of every prompt, which version
 * of each is current, the experiments running on them, and the lock that keeps released versions from
 * changing. Callers ask by name ({@code "summarize"}: the current version, or an experiment's choice
 * through {@link #select}) or pin a version ({@code "summarize@3"}). Immutable and thread-safe once
 * built; every check runs when it is built, so a broken prompt fails the application's start (and its
 * tests), not a call.
 *
 * <pre>{@code
 * PromptRegistry registry = PromptRegistry.builder()
 *     .loadClasspath("prompts")        // src/main/resources/prompts/*.yaml, partials/, prompts.lock
 *     .add(Prompt.builder("greet", 1).modelGroup("chat-fast").user("Hello {{name}}").build())
 *     .build();
 * Prompt p = registry.get("summarize");
 * }</pre>
 *
 * <h2>A prompts folder</h2>
 * A directory ({@link Builder#loadDirectory}) or a classpath folder, in a jar or not
 * ({@link Builder#loadClasspath}), holding:
 * <ul>
 *   <li>{@code *.yaml} / {@code *.yml} files, in any subfolder: one prompt per file, with its versions
 *       (format below);
 *   <li>{@code partials/**.mustache}: partials, named by their path under {@code partials/} without the
 *       extension ({@code partials/style/formal.mustache} is {@code {{> style/formal}}}), shared by
 *       every prompt of the registry;
 *   <li>{@code prompts.lock}: the content hashes of released versions ({@link PromptLock}).
 * </ul>
 * Other files (and names starting with a dot) are ignored.
 *
 * <h2>The YAML format</h2>
 * <pre>{@code
 * name: summarize                    # required; letters, digits, . _ -
 * owner: search-team                 # optional; default for the versions
 * description: Summaries for search results.   # optional; default for the versions
 * versions:                          # required, not empty
 *   - version: 1                     # required, >= 1, unique per name
 *     model: chat-fast               # required: a model group, alias or provider/model
 *     parameters:                    # optional: temperature, topP, maxOutputTokens, seed,
 *       temperature: 0.2             #   frequencyPenalty, presencePenalty, stop (a list)
 *     messages:                      # required, not empty; each has one of system / user / assistant
 *       - system: You summarize documents.
 *       - user: "{{text}}"
 *   - version: 2
 *     current: true                  # optional; at most one version of a name is current
 *     model: chat-fast
 *     variables: [text, language]    # optional: if given, messages may use only these at the top
 *                                    #   level, and must use all (see Load-time checks)
 *     messages:
 *       - system: |
 *           You summarize documents in {{language}}.
 *           {{> tone}}
 *       - user: "{{text}}"
 * experiment:                        # optional: see PromptExperiment
 *   name: summarize-v2-trial         # required; seeds the assignment
 *   stickyKey: user                  # optional: user (default), tenant, application or tag:<key>
 *   variants:                        # required; percentages add up to 100
 *     - {name: control, version: 1, percent: 70}
 *     - {name: v2-smart, version: 2, model: chat-smart, percent: 30}   # version/model optional
 * }</pre>
 * Unknown fields are errors (a misspelt {@code temprature} would otherwise be silently ignored).
 *
 * <h2>Which version is current</h2>
 * The version marked {@code current: true} (or named by {@link Builder#current}); when no version of a
 * name is marked, the highest version. Two marked versions of one name are an error. Marking lets an
 * owner add version 4 without sending traffic to it yet.
 *
 * <h2>Load-time checks</h2>
 * Each failure is a {@link PromptDefinitionException} naming the file and the field: YAML syntax
 * errors, unknown fields, missing required fields, wrong types, a version defined twice in a file,
 * templates that do not compile, partials that do not exist, a message using a variable that its
 * version's {@code variables} do not declare (directly or through a partial) or a declared variable no
 * message uses, two versions marked current, a partial defined twice with different text, an
 * experiment on an unknown prompt or version, two experiments on one prompt or with one name.
 *
 * <p>The {@code variables} check covers the names a caller supplies at the top level
 * ({@link PromptTemplate#variables()}): names used outside any section or inside an inverted section,
 * each section's own name, the first segment of a dotted name. A name used only inside a section
 * ({@code {{#items}}{{title}} in {{language}}{{/items}}}) is not checked at load: it is looked up in
 * the section's item first, and what an item holds is only known when rendering. Such a name is checked
 * then: when neither the item nor an outer scope defines it, rendering fails with a
 * {@link MissingVariableException} naming it and its line. So {@code variables: [items]} loads with
 * that template even though {@code language} is not declared.
 *
 * <p>The same
 * {@code name@version} from two sources (two files, a file and code) is accepted when the content is
 * identical and otherwise a {@link PromptVersionConflictException}; so is a version whose content no
 * longer matches its hash in the lock file.
 *
 * <h2>The lock file</h2>
 * Every loaded folder's {@value PromptLock#DEFAULT_FILE_NAME} is read, as is the
 * {@link Builder#lockFile}. A version the lock records must still hash to the recorded value; a new
 * version is accepted, and with {@link Builder#updateLock updateLock(true)} written to the lock file for
 * the team to commit. See {@link PromptLock} for the flow.
 */
public final class PromptRegistry {
  /** Whether {@link Builder#build()} writes new versions to the lock file by default: {@value}. */
  public static final boolean DEFAULT_UPDATE_LOCK = false;

  private static final Pattern REF = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)(?:@([1-9][0-9]{0,8}))?");

  private final Map<String, NavigableMap<Integer, Prompt>> versions;
  private final Map<String, Prompt> current;
  private final Map<String, PromptExperiment> experiments;
  private final PromptLock lock;

  private PromptRegistry(Map<String, NavigableMap<Integer, Prompt>> versions,
      Map<String, Prompt> current, Map<String, PromptExperiment> experiments, PromptLock lock) {
    this.versions = versions;
    this.current = current;
    this.experiments = experiments;
    this.lock = lock;
  }

  /** A builder with no sources: add folders, classpath folders and prompts written in code. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The prompt {@code ref} names: {@code "summarize"} for the current version, {@code "summarize@3"} for
   * version 3. Experiments do not apply here; see {@link #select}.
   *
   * @throws UnknownPromptException when there is no such prompt or version, or the ref is malformed
   */
  public Prompt get(String ref) {
    Matcher m = parse(ref);
    String name = m.group(1);
    NavigableMap<Integer, Prompt> all = versions.get(name);
    if (all == null) {
      throw new UnknownPromptException(ref, "unknown prompt '" + name + "'");
    }
    if (m.group(2) == null) {
      return current.get(name);
    }
    Prompt prompt = all.get(Integer.parseInt(m.group(2)));
    if (prompt == null) {
      throw new UnknownPromptException(ref, "prompt '" + name + "' has no version " + m.group(2)
          + "; versions: " + all.keySet());
    }
    return prompt;
  }

  /**
   * What to send for a call asking for {@code ref}. For a bare name with an experiment, the variant
   * the call's sticky key (by default {@code metadata.user()}) falls into: its version (or the current
   * one) on its model group (or the version's own; {@link PromptSelection#variantModelGroup} says
   * which). For a bare name without an experiment, the current
   * version. For a pinned version ({@code "summarize@3"}), that version on its own model group, outside
   * any experiment: pinning is how a caller reproduces a result.
   *
   * @throws UnknownPromptException when there is no such prompt or version
   */
  public PromptSelection select(String ref, RequestMetadata metadata) {
    Objects.requireNonNull(metadata, "metadata");
    Prompt asked = get(ref);
    PromptExperiment experiment = experiments.get(asked.name());
    if (experiment == null || ref.indexOf('@') >= 0) {
      return PromptSelection.of(asked);
    }
    PromptExperiment.Assignment assignment = experiment.assign(metadata);
    PromptExperiment.Variant variant = experiment.variant(assignment.variant());
    Prompt prompt = variant.version() == null ? asked
        : versions.get(asked.name()).get(variant.version());
    String modelGroup = variant.modelGroup() != null ? variant.modelGroup() : prompt.modelGroup();
    return new PromptSelection(prompt, modelGroup, assignment, variant.modelGroup());
  }

  /** The names of the prompts, sorted. */
  public Set<String> names() {
    return versions.keySet();
  }

  /**
   * The versions of the prompt {@code name}, oldest first.
   *
   * @throws UnknownPromptException when there is no such prompt
   */
  public List<Prompt> versions(String name) {
    NavigableMap<Integer, Prompt> all = versions.get(name);
    if (all == null) {
      throw new UnknownPromptException(name, "unknown prompt '" + name + "'");
    }
    return List.copyOf(all.values());
  }

  /** The experiment on the prompt {@code name}, or null when it has none. */
  public @Nullable PromptExperiment experiment(String name) {
    return experiments.get(name);
  }

  /** The experiments, by prompt name. */
  public Map<String, PromptExperiment> experiments() {
    return experiments;
  }

  /**
   * The lock files' records plus every loaded version: what {@link Builder#updateLock} writes, and
   * what {@code registry.lock().write(path)} would.
   */
  public PromptLock lock() {
    return lock;
  }

  private static Matcher parse(String ref) {
    Objects.requireNonNull(ref, "ref");
    Matcher m = REF.matcher(ref);
    if (!m.matches()) {
      throw new UnknownPromptException(ref,
          "malformed prompt reference '" + ref + "': expected name or name@version");
    }
    return m;
  }

  @Override
  public String toString() {
    return "PromptRegistry[" + versions.size() + " prompts, " + experiments.size() + " experiments]";
  }

  /**
   * Builds a {@link PromptRegistry}. Sources are read and checked when {@link #build()} is called, in
   * the order they were added. Not thread-safe.
   */
  public static final class Builder {
    private static final String CODE = "code";

    private final List<Object> sources = new ArrayList<>();
    private final Map<String, String> partials = new LinkedHashMap<>();
    private final List<String> currentRefs = new ArrayList<>();
    private final List<PromptExperiment> experiments = new ArrayList<>();
    private @Nullable Path lockFile;
    private boolean updateLock = DEFAULT_UPDATE_LOCK;

    private record Directory(Path path) {}

    private record Classpath(String folder, ClassLoader loader) {}

    private Builder() {}

    /** Adds a prompt version written in code. */
    public Builder add(Prompt prompt) {
      sources.add(Objects.requireNonNull(prompt, "prompt"));
      return this;
    }

    /**
     * Marks {@code ref} ({@code name@version}) as the current version of its name, as
     * {@code current: true} does in YAML. Defaults to none: the YAML's mark, else the highest version.
     */
    public Builder current(String ref) {
      Matcher m = parse(ref);
      if (m.group(2) == null) {
        throw new PromptDefinitionException(null, "current", "must name a version (name@version), was '"
            + ref + "'");
      }
      currentRefs.add(ref);
      return this;
    }

    /**
     * Adds a partial that YAML prompts may include with {@code {{> name}}}, as a file
     * {@code partials/name.mustache} would. Defaults to none. (Prompts built in code take their
     * partials from {@link Prompt.Builder#partial}.)
     */
    public Builder partial(String name, String source) {
      if (name == null || name.isBlank()) {
        throw new PromptDefinitionException(null, "partial.name", "must not be blank");
      }
      Objects.requireNonNull(source, "source");
      String previous = partials.put(name, source);
      if (previous != null && !previous.equals(source)) {
        throw new PromptDefinitionException(CODE, "partial '" + name + "'",
            "is defined twice with different text");
      }
      return this;
    }

    /**
     * Loads the prompts folder {@code folder} (e.g. {@code "prompts"}) from the classpath of the
     * thread's context class loader (else this class's loader), in every directory and jar that has
     * it.
     */
    public Builder loadClasspath(String folder) {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      return loadClasspath(folder, loader != null ? loader : PromptRegistry.class.getClassLoader());
    }

    /** Loads the prompts folder {@code folder} from {@code classLoader}'s classpath. */
    public Builder loadClasspath(String folder, ClassLoader classLoader) {
      if (folder == null || folder.isBlank()) {
        throw new PromptDefinitionException(null, "folder", "must not be blank");
      }
      String normalized = folder.replaceAll("^/+|/+$", "");
      sources.add(new Classpath(normalized, Objects.requireNonNull(classLoader, "classLoader")));
      return this;
    }

    /** Loads the prompts folder {@code directory} from the file system. */
    public Builder loadDirectory(Path directory) {
      sources.add(new Directory(Objects.requireNonNull(directory, "directory")));
      return this;
    }

    /** Adds an experiment written in code. Defaults to none (besides the YAML files' own). */
    public Builder experiment(PromptExperiment experiment) {
      experiments.add(Objects.requireNonNull(experiment, "experiment"));
      return this;
    }

    /**
     * A lock file to check versions against, besides each loaded folder's own
     * {@value PromptLock#DEFAULT_FILE_NAME}, and the file {@link #updateLock} writes. A file that does
     * not exist yet is an empty lock. Defaults to none.
     */
    public Builder lockFile(Path file) {
      this.lockFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Whether {@link #build()} writes the versions the lock does not know yet to {@link #lockFile}
     * (which then must be set), after every check passed. Meant for a build step or a test run in the
     * source tree, so that the lock file is committed with the YAML; production reads the lock and
     * never writes it. Defaults to {@link #DEFAULT_UPDATE_LOCK}: false.
     */
    public Builder updateLock(boolean update) {
      this.updateLock = update;
      return this;
    }

    /** Where a version came from, for errors. */
    private record Definition(Prompt prompt, String origin, @Nullable String field) {}

    /**
     * Reads every source and runs every check.
     *
     * @throws PromptDefinitionException when a source is malformed (see the class documentation)
     * @throws PromptVersionConflictException when a version has two contents, or changed without a
     *     version bump
     */
    public PromptRegistry build() {
      if (updateLock && lockFile == null) {
        throw new PromptDefinitionException(null, "lockFile", "updateLock(true) needs a lockFile to write");
      }
      // 1. read the folders
      List<Object> read = new ArrayList<>();
      for (Object source : sources) {
        if (source instanceof Directory d) {
          read.add(FolderFile.fromDirectory(d.path(), PromptLock.DEFAULT_FILE_NAME));
        } else if (source instanceof Classpath c) {
          read.add(FolderFile.fromClasspath(c.folder(), c.loader(), PromptLock.DEFAULT_FILE_NAME));
        } else {
          read.add(source);
        }
      }
      // 2. partials and locks
      Map<String, String> allPartials = new LinkedHashMap<>(partials);
      Map<String, String> partialOrigins = new LinkedHashMap<>();
      partials.keySet().forEach(name -> partialOrigins.put(name, CODE));
      PromptLock lock = PromptLock.empty();
      PromptLock ownLock = PromptLock.empty();
      if (lockFile != null && Files.exists(lockFile)) {
        ownLock = PromptLock.read(lockFile);
        lock = ownLock;
      }
      for (Object source : read) {
        if (source instanceof List<?> files) {
          for (Object o : files) {
            FolderFile file = (FolderFile) o;
            if (file.isPartial()) {
              String name = file.partialName();
              String previous = allPartials.putIfAbsent(name, file.content());
              if (previous != null && !previous.equals(file.content())) {
                throw new PromptDefinitionException(file.origin(), null, "partial '" + name
                    + "' is also defined, with different text, in " + partialOrigins.get(name));
              }
              partialOrigins.putIfAbsent(name, file.origin());
            } else if (file.path().equals(PromptLock.DEFAULT_FILE_NAME)) {
              lock = lock.merge(PromptLock.parse(file.content(), file.origin()));
            }
          }
        }
      }
      for (Map.Entry<String, String> partial : allPartials.entrySet()) {
        try {
          PromptTemplate.compile(partial.getKey(), partial.getValue(), allPartials);
        } catch (PromptDefinitionException e) {
          throw new PromptDefinitionException(partialOrigins.get(partial.getKey()), null, e.problem(),
              e);
        }
      }
      // 3. prompt files and code
      PromptFileReader reader = new PromptFileReader(allPartials);
      Map<String, Definition> definitions = new LinkedHashMap<>();
      Map<String, List<Definition>> marked = new LinkedHashMap<>();
      List<Map.Entry<PromptExperiment, String>> allExperiments = new ArrayList<>();
      for (Object source : read) {
        if (source instanceof Prompt prompt) {
          define(definitions, new Definition(prompt, CODE, null));
        } else {
          for (Object o : (List<?>) source) {
            FolderFile file = (FolderFile) o;
            if (!file.isPrompt()) {
              continue;
            }
            PromptFileReader.PromptFile parsed = reader.read(file.content(), file.origin());
            for (PromptFileReader.VersionDefinition v : parsed.versions()) {
              Definition d = new Definition(v.prompt(), file.origin(), v.field());
              define(definitions, d);
              if (v.current()) {
                marked.computeIfAbsent(v.prompt().name(), n -> new ArrayList<>()).add(d);
              }
            }
            if (parsed.experiment() != null) {
              allExperiments.add(Map.entry(parsed.experiment(), file.origin()));
            }
          }
        }
      }
      for (String ref : currentRefs) {
        Definition d = definitions.get(ref);
        if (d == null) {
          throw new PromptDefinitionException(CODE, "current", "names " + ref + ", which does not exist");
        }
        marked.computeIfAbsent(d.prompt().name(), n -> new ArrayList<>())
            .add(new Definition(d.prompt(), CODE, "current"));
      }
      // 4. the lock
      for (Definition d : definitions.values()) {
        lock.verify(d.prompt(), d.origin());
      }
      // 5. versions and current
      Map<String, NavigableMap<Integer, Prompt>> versions = new TreeMap<>();
      for (Definition d : definitions.values()) {
        versions.computeIfAbsent(d.prompt().name(), n -> new TreeMap<>())
            .put(d.prompt().version(), d.prompt());
      }
      Map<String, Prompt> current = new TreeMap<>();
      for (Map.Entry<String, NavigableMap<Integer, Prompt>> e : versions.entrySet()) {
        List<Definition> marks = marked.getOrDefault(e.getKey(), List.of());
        Set<String> refs = new TreeSet<>();
        marks.forEach(d -> refs.add(d.prompt().ref()));
        if (refs.size() > 1) {
          Definition second = marks.get(marks.size() - 1);
          throw new PromptDefinitionException(second.origin(), second.field() == null ? "current"
              : second.field() + ".current", "prompt '" + e.getKey() + "' has more than one version"
              + " marked current: " + refs);
        }
        current.put(e.getKey(), marks.isEmpty() ? e.getValue().lastEntry().getValue()
            : marks.get(0).prompt());
      }
      // 6. experiments
      experiments.forEach(x -> allExperiments.add(Map.entry(x, CODE)));
      Map<String, PromptExperiment> byPrompt = new TreeMap<>();
      Map<String, String> experimentOrigins = new LinkedHashMap<>();
      Map<String, String> names = new LinkedHashMap<>();
      for (Map.Entry<PromptExperiment, String> e : allExperiments) {
        PromptExperiment x = e.getKey();
        String origin = e.getValue();
        String field = CODE.equals(origin) ? "experiment '" + x.name() + "'" : "experiment";
        NavigableMap<Integer, Prompt> all = versions.get(x.prompt());
        if (all == null) {
          throw new PromptDefinitionException(origin, field, "splits prompt '" + x.prompt()
              + "', which does not exist");
        }
        for (PromptExperiment.Variant v : x.variants()) {
          if (v.version() != null && !all.containsKey(v.version())) {
            throw new PromptDefinitionException(origin, field, "variant '" + v.name() + "' asks for "
                + x.prompt() + "@" + v.version() + ", which does not exist; versions: " + all.keySet());
          }
        }
        if (byPrompt.containsKey(x.prompt())) {
          throw new PromptDefinitionException(origin, field, "prompt '" + x.prompt()
              + "' already has experiment '" + byPrompt.get(x.prompt()).name() + "' (from "
              + experimentOrigins.get(x.prompt()) + "); one experiment per prompt");
        }
        String other = names.putIfAbsent(x.name(), origin);
        if (other != null) {
          throw new PromptDefinitionException(origin, field, "experiment name '" + x.name()
              + "' is already used (in " + other + "); names seed the assignment and must be unique");
        }
        byPrompt.put(x.prompt(), x);
        experimentOrigins.put(x.prompt(), origin);
      }
      // 7. the lock with the new versions
      List<Prompt> all = new ArrayList<>();
      versions.values().forEach(v -> all.addAll(v.values()));
      PromptLock updated = lock.with(all);
      if (updateLock && !updated.equals(ownLock)) {
        updated.write(lockFile);
      }
      Map<String, NavigableMap<Integer, Prompt>> frozen = new TreeMap<>();
      versions.forEach((name, v) -> frozen.put(name, Collections.unmodifiableNavigableMap(v)));
      return new PromptRegistry(Collections.unmodifiableMap(frozen), Collections.unmodifiableMap(current),
          Collections.unmodifiableMap(byPrompt), updated);
    }

    private static void define(Map<String, Definition> definitions, Definition d) {
      Definition previous = definitions.putIfAbsent(d.prompt().ref(), d);
      if (previous != null && !previous.prompt().contentHash().equals(d.prompt().contentHash())) {
        throw new PromptVersionConflictException(d.prompt().ref(), d.origin(),
            "is also defined, with different content, in " + previous.origin()
                + "; one version must have one content: add a new version instead");
      }
    }
  }
}
