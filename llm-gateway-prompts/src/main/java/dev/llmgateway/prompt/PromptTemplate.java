package dev.llmgateway.prompt;

import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.MustacheNotFoundException;
import dev.llmgateway.prompt.internal.MissingValueSignal;
import dev.llmgateway.prompt.internal.StrictMustacheFactory;
import dev.llmgateway.prompt.internal.TemplateAnalysis;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A compiled Mustache template for prompt text (mustache.java underneath), strict about variables.
 *
 * <p>Why strict: a lenient Mustache renders a missing variable as the empty string, so a typo or a
 * forgotten field sends a silently broken prompt to a model, and it still answers (and costs). Here
 * {@link #render} throws {@link MissingVariableException} naming the template and the variables:
 * <ul>
 *   <li>{@code {{name}}}, {@code {{{name}}}}, {@code {{&name}}} and dotted {@code {{user.name}}}: the
 *       name must resolve to a non-null value.
 *   <li>Sections {@code {{#items}}...{{/items}}} and inverted sections {@code {{^items}}}: the name must
 *       resolve too; a value of {@code false}, {@code null}, an empty {@code Optional} or an empty list
 *       or string switches the section off. To make a section optional, pass its key with
 *       {@code false} or an empty list, never leave it out: leaving it out is the typo this class
 *       exists to catch.
 *   <li>Inside a section, names are looked up in the current item first, then outwards.
 * </ul>
 *
 * <p><b>What a name resolves to.</b> A key of a {@link Map} (a key whose value is null is defined, and
 * null) or a component of a record, and nothing else: no bean getters, fields or other methods, so
 * {@code {{length}}} on a string, {@code {{size}}} on a list or {@code {{hashCode}}} on a record are
 * missing variables, not some method's result. A dotted name resolves its first segment in the scopes,
 * innermost first, then each further segment inside the previous value only. An {@link java.util.Optional}
 * is unwrapped wherever it appears: an empty one is null (missing for a value tag, false for a
 * section), a present one its value.
 *
 * <p>No HTML escaping: prompts are not HTML, so {@code {{text}}} writes {@code <b>&amp;"} as it is,
 * exactly like {@code {{{text}}}}. Whitespace follows the Mustache spec for sections and partials: a
 * line holding only a section tag leaves no blank line behind, and a line holding only a partial tag
 * stands for the partial's lines (end a partial with a line break to keep one). A comment alone on a
 * line does leave an empty line (mustache.java's behaviour).
 *
 * <p>Partials ({@code {{> name}}}) are other templates, given by name when compiling; a
 * {@link PromptRegistry} passes its partials (the {@code partials/} folder of a prompts folder). A
 * partial that does not exist is an error at compile time, not at render time. Instances are immutable
 * and thread-safe.
 */
public final class PromptTemplate {
  private final String name;
  private final String source;
  private final Map<String, String> partials;
  private final Mustache mustache;
  private final TemplateAnalysis analysis;

  private PromptTemplate(String name, String source, Map<String, String> partials, Mustache mustache,
      TemplateAnalysis analysis) {
    this.name = name;
    this.source = source;
    this.partials = partials;
    this.mustache = mustache;
    this.analysis = analysis;
  }

  /** Compiles {@code source}, which may not include partials. */
  public static PromptTemplate compile(String name, String source) {
    return compile(name, source, Map.of());
  }

  /**
   * Compiles {@code source}, whose {@code {{> partial}}} tags name entries of {@code partials} (partial
   * name to Mustache source; partials may include each other).
   *
   * @param name names the template in errors, e.g. {@code summarize@3 messages[1]}
   * @throws PromptDefinitionException when the source does not compile or includes a partial that is
   *     not in {@code partials}; the message names the template (or partial) and line, not the text
   */
  public static PromptTemplate compile(String name, String source, Map<String, String> partials) {
    if (name == null || name.isBlank()) {
      throw new PromptDefinitionException(null, "template.name", "must not be blank");
    }
    if (source == null) {
      throw new PromptDefinitionException(null, "template '" + name + "'", "source must not be null");
    }
    Objects.requireNonNull(partials, "partials");
    StrictMustacheFactory factory = new StrictMustacheFactory(partials);
    Mustache mustache;
    try {
      mustache = factory.compile(new StringReader(source), name);
    } catch (MustacheNotFoundException e) {
      String missing = factory.unknownPartial();
      throw new PromptDefinitionException(null, null, "template '" + name + "' includes partial '"
          + (missing != null ? missing : e.getName()) + "', which does not exist; known partials: "
          + new TreeSet<>(partials.keySet()), e);
    } catch (MustacheException e) {
      throw new PromptDefinitionException(null, null, "template '" + name + "' does not compile: "
          + e.getMessage(), e);
    }
    Map<String, String> used = new TreeMap<>();
    for (String partial : factory.usedPartials()) {
      used.put(partial, partials.get(partial));
    }
    return new PromptTemplate(name, source, java.util.Collections.unmodifiableMap(used), mustache,
        TemplateAnalysis.of(mustache.getCodes()));
  }

  /** The name given when compiling; errors use it. */
  public String name() {
    return name;
  }

  /** The Mustache source. */
  public String source() {
    return source;
  }

  /**
   * The partials this template includes, directly or through other partials: name to source, sorted
   * by name. Part of a prompt's content (and content hash), since changing a partial changes the text.
   */
  public Map<String, String> partials() {
    return partials;
  }

  /**
   * The names a caller must supply at the top level, sorted: every name used outside a section (or in
   * an inverted section), every section's own name, through partials too; the first segment of a
   * dotted name. Names used inside a section are not listed: they are looked up in the section's item
   * first, which is only known when rendering, so they are checked then (a name that neither the item
   * nor an outer scope defines fails with {@link MissingVariableException} naming it and its line).
   */
  public Set<String> variables() {
    return analysis.variables();
  }

  /**
   * The names of the value tags ({@code {{x}}}, {@code {{{x}}}}, {@code {{&x}}}, dotted
   * {@code {{user.name}}}) used at the top level, as written, sorted: outside any section or inside an
   * inverted section, through partials too. Each must resolve to a non-null value when rendered, so a
   * caller must not leave them null; a {@code PromptFunction} checks them against its input record.
   * Value tags inside a section are not listed (they are looked up in the section's item first).
   */
  public Set<String> valueTags() {
    return analysis.valueTags();
  }

  /**
   * For each of {@link #variables()} that is used only through partials, the (outermost) partial that
   * uses it; load-time checks use it to say where an undeclared variable comes from.
   */
  public Map<String, String> variablesFromPartials() {
    return analysis.partialOf();
  }

  /**
   * Renders the template with {@code variables} as the top-level scope. Values may be strings,
   * numbers, booleans, lists and arrays (sections iterate them), maps and records (dotted names and
   * sections look inside them) and {@code Optional}s of these. Other objects render with
   * {@code toString()} but expose no names.
   *
   * @throws MissingVariableException when a top-level variable is absent (all such are named at
   *     once) or when a name cannot be resolved while rendering
   */
  public String render(Map<String, ?> variables) {
    Objects.requireNonNull(variables, "variables");
    List<String> absent = new ArrayList<>();
    for (String variable : analysis.variables()) {
      if (!variables.containsKey(variable)) {
        absent.add(variable);
      }
    }
    if (!absent.isEmpty()) {
      throw new MissingVariableException(name, Set.copyOf(absent));
    }
    StringWriter out = new StringWriter();
    try {
      mustache.execute(out, List.<Object>of(variables)).flush();
    } catch (RuntimeException e) {
      MissingValueSignal signal = MissingValueSignal.find(e);
      if (signal != null) {
        throw new MissingVariableException(name, Set.of(signal.variable()), signal.location());
      }
      throw e;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Equal when the name, source and included partials are. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof PromptTemplate t && name.equals(t.name) && source.equals(t.source)
        && partials.equals(t.partials);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, source, partials);
  }

  /** The name only: a template's text never goes to logs through {@code toString}. */
  @Override
  public String toString() {
    return "PromptTemplate[" + name + "]";
  }
}
