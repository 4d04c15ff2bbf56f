package dev.llmgateway.redaction;

import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.redaction.internal.DictionaryDetector;
import dev.llmgateway.redaction.internal.RegexDetector;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Finds values of personal data or secrets in a text. Small enough for a lambda; the built-in detectors
 * are in {@link PiiDetectors}, and {@link #regex} and {@link #dictionary} build the common kinds of
 * host-added ones:
 *
 * <pre>{@code
 * PiiDetector employeeIds = PiiDetector.regex(PiiType.of("EMPLOYEE_ID"), "\\bEMP-\\d{6}\\b");
 * PiiDetector projects = PiiDetector.dictionary(PiiType.of("PROJECT"), List.of("Bluebird", "Night Owl"));
 * PiiDetector mine = text -> myClassifier.find(text).stream()
 *     .map(f -> PiiMatch.of(PiiType.of("NAME"), text, f.start(), f.end())).toList();
 * }</pre>
 *
 * <p>A detector may return matches in any order, overlapping or not: the {@link RedactionPolicy} resolves
 * overlaps among all detectors' matches (see {@link RedactionPolicy#detect(String)}). It must be
 * thread-safe and must not keep the text.
 */
@FunctionalInterface
public interface PiiDetector {

  /** The values found in {@code text}; empty when there are none. Never null. */
  List<PiiMatch> detect(String text);

  /** A detector reporting every non-empty match of {@code regex} (whole match) as {@code type}. */
  static PiiDetector regex(PiiType type, String regex) {
    return regex(type, Pattern.compile(Check.nonNull(regex, "regex")));
  }

  /** A detector reporting every non-empty match of {@code pattern} (whole match) as {@code type}. */
  static PiiDetector regex(PiiType type, Pattern pattern) {
    return regex(type, pattern, value -> true);
  }

  /**
   * A detector reporting every non-empty match of {@code pattern} that {@code accept} approves, e.g. a
   * checksum; a rejected match does not hide other matches starting inside it.
   */
  static PiiDetector regex(PiiType type, Pattern pattern, Predicate<String> accept) {
    Check.nonNull(type, "type");
    Check.nonNull(pattern, "pattern");
    Check.nonNull(accept, "accept");
    return RegexDetector.of(type, pattern, (text, start, end) -> accept.test(text.substring(start, end))
        ? end : -1);
  }

  /**
   * A detector for a list of words or phrases (names, project code names, customers), matched
   * case-insensitively as whole words. A phrase of several words also matches when its words are
   * separated by other spaces, hyphens, apostrophes or dots ({@code "Jean-Luc"} matches
   * {@code "jean luc"}); the longest phrase wins. Lookup is a hash set per word, so large dictionaries
   * stay fast.
   */
  static PiiDetector dictionary(PiiType type, Collection<String> words) {
    Check.nonNull(type, "type");
    Check.nonNull(words, "words");
    return new DictionaryDetector(type, words);
  }
}
