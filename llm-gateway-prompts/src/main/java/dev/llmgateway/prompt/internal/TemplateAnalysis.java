package dev.llmgateway.prompt.internal;

import com.github.mustachejava.Code;
import com.github.mustachejava.codes.IterableCode;
import com.github.mustachejava.codes.NotIterableCode;
import com.github.mustachejava.codes.PartialCode;
import com.github.mustachejava.codes.ValueCode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The top-level variables of a compiled template: the names a caller must supply. A name counts when it
 * is used outside any section (or inside an inverted section, which keeps the scope), through partials
 * too; a section's own name counts, the names inside a section do not (they are looked up in the
 * section's item first). For a dotted name ({@code user.name}) the first segment counts.
 *
 * <p>Names used inside a (non-inverted) section are not collected at all: what they resolve to depends
 * on the section's items, which are only known when rendering.
 *
 * @param variables the top-level variables, sorted
 * @param partialOf for each variable used only through partials, the partial that first uses it
 * @param valueTags the names of the value tags ({@code {{x}}}, {@code {{{x}}}}, {@code {{&x}}}) used at
 *     the top level, as written (dotted ones whole), sorted: each must resolve to a non-null value
 */
public record TemplateAnalysis(Set<String> variables, Map<String, String> partialOf,
    Set<String> valueTags) {

  public TemplateAnalysis {
    variables = java.util.Collections.unmodifiableSet(new TreeSet<>(variables));
    partialOf = java.util.Collections.unmodifiableMap(new TreeMap<>(partialOf));
    valueTags = java.util.Collections.unmodifiableSet(new TreeSet<>(valueTags));
  }

  /** Analyses the codes of a compiled template. */
  public static TemplateAnalysis of(Code[] codes) {
    Set<String> variables = new TreeSet<>();
    Map<String, String> partialOf = new LinkedHashMap<>();
    Set<String> valueTags = new TreeSet<>();
    walk(codes, null, variables, partialOf, valueTags, new HashSet<>());
    Map<String, String> onlyThroughPartials = new TreeMap<>(partialOf);
    return new TemplateAnalysis(variables, onlyThroughPartials, valueTags);
  }

  private static void walk(Code @Nullable [] codes, @Nullable String partial, Set<String> variables,
      Map<String, String> partialOf, Set<String> valueTags, Set<String> visitedPartials) {
    if (codes == null) {
      return;
    }
    for (Code code : codes) {
      if (code instanceof PartialCode) {
        String name = code.getName();
        if (name != null && visitedPartials.add(name)) {
          walk(code.getCodes(), partial != null ? partial : name, variables, partialOf, valueTags,
              visitedPartials);
        }
      } else if (code instanceof NotIterableCode) {
        add(code.getName(), partial, variables, partialOf);
        walk(code.getCodes(), partial, variables, partialOf, valueTags, visitedPartials);
      } else if (code instanceof IterableCode) {
        add(code.getName(), partial, variables, partialOf);
      } else if (code instanceof ValueCode) {
        add(code.getName(), partial, variables, partialOf);
        String name = code.getName();
        if (name != null && !name.isEmpty() && !name.equals(".")) {
          valueTags.add(name);
        }
      } else {
        // template inheritance ({{<parent}}, {{$block}}) and anything else that keeps the scope
        walk(code.getCodes(), partial, variables, partialOf, valueTags, visitedPartials);
      }
    }
  }

  private static void add(@Nullable String name, @Nullable String partial, Set<String> variables,
      Map<String, String> partialOf) {
    if (name == null || name.isEmpty() || name.equals(".")) {
      return;
    }
    int dot = name.indexOf('.');
    String first = dot > 0 ? name.substring(0, dot) : name;
    boolean isNew = variables.add(first);
    if (partial == null) {
      partialOf.remove(first);
    } else if (isNew) {
      partialOf.put(first, partial);
    }
  }
}
