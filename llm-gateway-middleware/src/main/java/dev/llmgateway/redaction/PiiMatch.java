package dev.llmgateway.redaction;

import dev.llmgateway.gateway.internal.Check;

/**
 * One value a {@link PiiDetector} found: its type and where it sits in the text ({@code start}
 * inclusive, {@code end} exclusive, as in {@link String#substring(int, int)}).
 *
 * <p>{@link #toString()} shows the type and the span, never the value, so a match may be logged.
 *
 * @param type what was found
 * @param start the index of its first character
 * @param end the index after its last character, greater than {@code start}
 * @param value the text found, {@code end - start} characters long
 */
public record PiiMatch(PiiType type, int start, int end, String value) {

  public PiiMatch {
    Check.nonNull(type, "match.type");
    Check.nonNull(value, "match.value");
    Check.that(start >= 0 && end > start,
        "a match needs 0 <= start < end, was " + start + ".." + end);
    Check.that(value.length() == end - start, "match.value must be end - start (" + (end - start)
        + ") characters long, was " + value.length());
  }

  /** The match of {@code text.substring(start, end)}. */
  public static PiiMatch of(PiiType type, String text, int start, int end) {
    Check.that(end <= text.length(), "match end " + end + " is past the text's length " + text.length());
    return new PiiMatch(type, start, end, text.substring(start, end));
  }

  /** How many characters the match covers. */
  public int length() {
    return end - start;
  }

  /** Whether this match and {@code other} share at least one character. */
  public boolean overlaps(PiiMatch other) {
    return start < other.end && other.start < end;
  }

  @Override
  public String toString() {
    return "PiiMatch[" + type.name() + " " + start + ".." + end + "]";
  }
}
