package dev.llmgateway.prompt.function.internal;

import dev.llmgateway.prompt.Prompt;
import dev.llmgateway.prompt.PromptMessage;
import dev.llmgateway.prompt.function.internal.Shape.ArrayShape;
import dev.llmgateway.prompt.function.internal.Shape.MapShape;
import dev.llmgateway.prompt.function.internal.Shape.NullableShape;
import dev.llmgateway.prompt.function.internal.Shape.ObjectShape;
import dev.llmgateway.prompt.function.internal.Shape.Property;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Whether an input record supplies what a prompt version's templates need, checked when a prompt
 * function is built so that a mismatch fails the application's start, not a call:
 * <ul>
 *   <li>every top-level variable of the version ({@link Prompt#variables()}) is a property of the
 *       record;
 *   <li>every top-level value tag ({@code {{note}}}, {@code {{user.name}}}:
 *       {@link dev.llmgateway.prompt.PromptTemplate#valueTags()}) resolves along the record's
 *       components to a value that cannot be null: a value tag over null fails to render, and an
 *       {@code Optional} or {@code @Nullable} component may be left out of a valid input. The path
 *       must go through records only; a {@code Map} component's keys are not known, so the path is not
 *       checked past it.
 * </ul>
 * Names used inside sections are not checked: they are looked up in the section's item first.
 */
public final class InputCoverage {
  private InputCoverage() {}

  /**
   * What {@code input} lacks for {@code prompt}, each a sentence starting with a verb ("uses ...");
   * empty when it has everything.
   */
  public static List<String> problems(ObjectShape input, Prompt prompt) {
    List<String> problems = new ArrayList<>();
    String record = input.type().getSimpleName();
    Set<String> missing = new TreeSet<>(prompt.variables());
    input.properties().forEach(p -> missing.remove(p.name()));
    if (!missing.isEmpty()) {
      problems.add("uses variable" + (missing.size() == 1 ? " " : "s ") + missing
          + " that the input record " + record + " does not have");
    }
    Set<String> valueTags = new TreeSet<>();
    for (PromptMessage message : prompt.messages()) {
      valueTags.addAll(message.template().valueTags());
    }
    for (String tag : valueTags) {
      int dot = tag.indexOf('.');
      if (missing.contains(dot < 0 ? tag : tag.substring(0, dot))) {
        continue;
      }
      String problem = problem(input, tag);
      if (problem != null) {
        problems.add(problem);
      }
    }
    return problems;
  }

  private static @Nullable String problem(ObjectShape input, String tag) {
    Shape shape = input;
    String where = input.type().getSimpleName();
    for (String segment : tag.split("\\.", -1)) {
      if (shape instanceof NullableShape) {
        return nullable(tag, where);
      }
      if (shape instanceof MapShape) {
        return null; // any key may be there: not checked
      }
      if (!(shape instanceof ObjectShape object)) {
        return "uses {{" + tag + "}}, but " + where + " is " + kind(shape) + ", which has no '"
            + segment + "' (names resolve in records and maps only)";
      }
      Property property = property(object, segment);
      if (property == null) {
        return "uses {{" + tag + "}}, but " + object.type().getSimpleName() + " has no component '"
            + segment + "'";
      }
      shape = property.shape();
      where = where + "." + segment;
    }
    return shape instanceof NullableShape ? nullable(tag, where) : null;
  }

  private static String nullable(String tag, String where) {
    return "uses {{" + tag + "}} as a value, but " + where + " may be null (it is Optional or "
        + "@Nullable, so a valid input may leave it out) and a value tag over null fails to render; "
        + "make it non-null, or use it only inside a section over it ({{#x}}...{{x}}...{{/x}}), "
        + "which a null switches off";
  }

  private static @Nullable Property property(ObjectShape object, String name) {
    for (Property property : object.properties()) {
      if (property.name().equals(name)) {
        return property;
      }
    }
    return null;
  }

  private static String kind(Shape shape) {
    if (shape instanceof ArrayShape) {
      return "a list";
    }
    return "a single value";
  }
}
