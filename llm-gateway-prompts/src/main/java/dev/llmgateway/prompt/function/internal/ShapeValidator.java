package dev.llmgateway.prompt.function.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmgateway.prompt.function.internal.Shape.ArrayShape;
import dev.llmgateway.prompt.function.internal.Shape.BooleanShape;
import dev.llmgateway.prompt.function.internal.Shape.EnumShape;
import dev.llmgateway.prompt.function.internal.Shape.IntegerShape;
import dev.llmgateway.prompt.function.internal.Shape.MapShape;
import dev.llmgateway.prompt.function.internal.Shape.NullableShape;
import dev.llmgateway.prompt.function.internal.Shape.NumberShape;
import dev.llmgateway.prompt.function.internal.Shape.ObjectShape;
import dev.llmgateway.prompt.function.internal.Shape.Property;
import dev.llmgateway.prompt.function.internal.Shape.StringShape;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Checks a JSON document against a {@link Shape}. Each error names where it is, as a JSON Pointer
 * ({@code /items/0/label}, {@code /} for the document itself), and what was expected; it never quotes a
 * value from the document (only property names, cut to {@value #MAX_NAME_LENGTH} characters).
 *
 * <p>A nullable property that is missing counts as null, and is added to the document as an explicit
 * null so that the reader sees it (an {@code Optional} becomes empty, not null): checking mutates the
 * document it is given.
 */
public final class ShapeValidator {
  /** The longest property name quoted in an error. */
  public static final int MAX_NAME_LENGTH = 64;
  /** The most errors reported for one document; the rest are counted, not listed. */
  public static final int MAX_ERRORS = 20;
  private static final int MAX_ENUM_VALUES_SHOWN = 10;

  private final List<String> errors = new ArrayList<>();
  private int dropped;

  private ShapeValidator() {}

  /** The errors of {@code json} against {@code shape}; empty when it matches. */
  public static List<String> validate(Shape shape, JsonNode json) {
    ShapeValidator validator = new ShapeValidator();
    validator.check(shape, json, "");
    if (validator.dropped > 0) {
      validator.errors.add("(and " + validator.dropped + " more)");
    }
    return List.copyOf(validator.errors);
  }

  private void check(Shape shape, JsonNode node, String at) {
    if (shape instanceof NullableShape n) {
      if (!node.isNull()) {
        check(n.inner(), node, at);
      }
      return;
    }
    if (shape instanceof StringShape s) {
      if (!node.isTextual()) {
        expected(at, "a string", node);
      } else {
        String problem = s.kind().problem(node.textValue());
        if (problem != null) {
          error(at, problem);
        }
      }
    } else if (shape instanceof BooleanShape) {
      if (!node.isBoolean()) {
        expected(at, "a boolean", node);
      }
    } else if (shape instanceof IntegerShape i) {
      if (!node.isNumber() || !node.canConvertToExactIntegral()) {
        expected(at, "an integer", node);
      } else {
        BigInteger value = node.decimalValue().toBigIntegerExact();
        if ((i.min() != null && value.compareTo(i.min()) < 0)
            || (i.max() != null && value.compareTo(i.max()) > 0)) {
          error(at, "expected an integer between " + i.min() + " and " + i.max());
        }
      }
    } else if (shape instanceof NumberShape) {
      if (!node.isNumber()) {
        expected(at, "a number", node);
      }
    } else if (shape instanceof EnumShape e) {
      if (!node.isTextual() || !e.values().contains(node.textValue())) {
        List<String> shown = e.values().size() <= MAX_ENUM_VALUES_SHOWN
            ? e.values() : e.values().subList(0, MAX_ENUM_VALUES_SHOWN);
        error(at, "expected one of " + String.join(", ", shown)
            + (shown.size() < e.values().size() ? ", ..." : ""));
      }
    } else if (shape instanceof ArrayShape a) {
      if (!node.isArray()) {
        expected(at, "an array", node);
      } else {
        for (int index = 0; index < node.size(); index++) {
          check(a.items(), node.get(index), at + "/" + index);
        }
      }
    } else if (shape instanceof MapShape m) {
      if (!node.isObject()) {
        expected(at, "an object", node);
      } else {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
          String name = names.next();
          check(m.values(), node.get(name), at + "/" + escape(name));
        }
      }
    } else if (shape instanceof ObjectShape o) {
      if (!node.isObject()) {
        expected(at, "an object", node);
        return;
      }
      Set<String> known = new HashSet<>();
      for (Property property : o.properties()) {
        known.add(property.name());
        JsonNode value = node.get(property.name());
        String where = at + "/" + escape(property.name());
        if (value == null) {
          if (property.nullable()) {
            ((ObjectNode) node).set(property.name(), NullNode.getInstance());
          } else {
            error(where, "required property is missing");
          }
        } else if (value.isNull() && !property.nullable()) {
          error(where, "must not be null");
        } else {
          check(property.shape(), value, where);
        }
      }
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!known.contains(name)) {
          error(at + "/" + escape(name), "unknown property");
        }
      }
    } else {
      throw new AssertionError(shape);
    }
  }

  private void expected(String at, String what, JsonNode found) {
    error(at, "expected " + what + ", found " + kind(found));
  }

  private void error(String at, String message) {
    if (errors.size() < MAX_ERRORS) {
      errors.add((at.isEmpty() ? "/" : at) + ": " + message);
    } else {
      dropped++;
    }
  }

  private static String kind(JsonNode node) {
    if (node.isNull()) {
      return "null";
    }
    if (node.isTextual()) {
      return "a string";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    if (node.isIntegralNumber()) {
      return "an integer";
    }
    if (node.isNumber()) {
      return "a number";
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isObject()) {
      return "an object";
    }
    return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  /** A property name as a JSON Pointer token (RFC 6901), cut to {@link #MAX_NAME_LENGTH}, control characters shown as {@code ?}. */
  static String escape(String name) {
    String shown = name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH) + "...";
    StringBuilder token = new StringBuilder(shown.length());
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      if (c == '~') {
        token.append("~0");
      } else if (c == '/') {
        token.append("~1");
      } else {
        token.append(Character.isISOControl(c) ? '?' : c);
      }
    }
    return token.toString();
  }
}
