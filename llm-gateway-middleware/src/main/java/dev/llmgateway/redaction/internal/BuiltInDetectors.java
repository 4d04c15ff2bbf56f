package dev.llmgateway.redaction.internal;

import dev.llmgateway.redaction.PiiDetector;
import dev.llmgateway.redaction.PiiMatch;
import dev.llmgateway.redaction.PiiType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The patterns and checks behind {@link dev.llmgateway.redaction.PiiDetectors}. Every pattern starts
 * and ends at a boundary (no letter, digit or underscore directly before or after), so that a value
 * inside a longer token is not reported; the checks that a pattern cannot express (checksums, lengths,
 * decoding) run on each candidate.
 */
public final class BuiltInDetectors {
  private BuiltInDetectors() {}

  private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private static boolean digit(String text, int i) {
    if (i >= text.length()) {
      return false;
    }
    char c = text.charAt(i);
    return c >= '0' && c <= '9';
  }

  private static boolean asciiLetter(String text, int i) {
    if (i >= text.length()) {
      return false;
    }
    char c = text.charAt(i);
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  private static boolean at(String text, int i, char c) {
    return i < text.length() && text.charAt(i) == c;
  }

  /** Whether {@code text[i, i + window)} holds at least {@code min} digits. */
  private static boolean digitsAhead(String text, int i, int window, int min) {
    int n = 0;
    for (int k = i; k < Math.min(text.length(), i + window) && n < min; k++) {
      if (digit(text, k)) {
        n++;
      }
    }
    return n >= min;
  }

  /** Whether one to three digits and a dot start at {@code i}, as an IPv4 address does. */
  private static boolean dottedNumberAhead(String text, int i) {
    int k = i;
    while (k < i + 3 && digit(text, k)) {
      k++;
    }
    return k > i && at(text, k, '.') && digit(text, k + 1);
  }

  /** Whether up to four hex digits and a colon start at {@code i}, as an IPv6 address does. */
  private static boolean hexGroupAhead(String text, int i) {
    int k = i;
    while (k < i + 4 && k < text.length() && Ipv6Syntax.isHex(text.charAt(k))) {
      k++;
    }
    return at(text, k, ':');
  }

  /** Not a letter, digit or underscore before the match (Unicode-aware). */
  private static final String B = "(?<![\\p{L}\\p{N}_])";
  /** Not a letter, digit or underscore after the match. */
  private static final String E = "(?![\\p{L}\\p{N}_])";

  // ---- e-mail -------------------------------------------------------------------------------------

  private static final Pattern EMAIL = Pattern.compile(
      "(?<![\\p{L}\\p{N}._%+-])[\\p{L}\\p{N}](?:[\\p{L}\\p{N}._%+'-]{0,63}[\\p{L}\\p{N}_%+-])?"
          + "@(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.)+\\p{L}{2,24}"
          + "(?![\\p{L}\\p{N}_-]|\\.[\\p{L}\\p{N}])");
  /** Endings that make {@code icon@2x.png} a file name, not an address. */
  private static final Set<String> FILE_ENDINGS = Set.of("png", "jpg", "jpeg", "gif", "svg", "webp",
      "ico", "bmp", "tif", "tiff", "heic", "avif", "pdf");

  /**
   * E-mail addresses are searched from each {@code @} only: the local part is walked back from it (at
   * most 64 characters) and the pattern is tried from the first character that may start one, instead
   * of at every word of the text.
   */
  public static PiiDetector email() {
    return text -> {
      int at = text.indexOf('@');
      if (at < 0) {
        return List.of();
      }
      List<PiiMatch> found = null;
      Matcher m = EMAIL.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
      int done = 0;
      while (at >= 0) {
        int start = at;
        while (start > done && at - start < 64 && isLocalPartChar(text.charAt(start - 1))) {
          start--;
        }
        for (int s = start; s < at; s++) {
          if (!Character.isLetterOrDigit(text.charAt(s))) {
            continue;
          }
          m.region(s, Math.min(text.length(), at + 256));
          if (m.lookingAt() && acceptEmail(text, s, m.end())) {
            if (found == null) {
              found = new ArrayList<>(2);
            }
            found.add(PiiMatch.of(PiiType.EMAIL, text, s, m.end()));
            done = m.end();
            break;
          }
        }
        at = text.indexOf('@', Math.max(at + 1, done));
      }
      return found == null ? List.of() : found;
    };
  }

  private static boolean isLocalPartChar(char c) {
    return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
        || c == '\'';
  }

  private static boolean acceptEmail(String text, int start, int end) {
    int at = text.indexOf('@', start);
    if (text.substring(start, at).contains("..") || text.startsWith("://", start - 3)) {
      // https://user@host is a URL's user part (often a token), not an address.
      return false;
    }
    String tld = text.substring(text.lastIndexOf('.', end - 1) + 1, end).toLowerCase(Locale.ROOT);
    return !FILE_ENDINGS.contains(tld);
  }

  // ---- phone --------------------------------------------------------------------------------------

  /**
   * {@code +CC ...} or {@code 00CC ...}: 8 to 15 digits, groups separated by one space, dot, dash or
   * slash. After {@code 00CC} a space and a non-zero digit must follow (the trunk 0 is dropped abroad),
   * which keeps {@code 0044 0532 0130}-like digit groups out.
   */
  private static final Pattern PHONE_INTERNATIONAL = Pattern.compile(
      "(?<![\\p{L}\\p{N}_+./-])(?:\\+|00(?=[1-9]\\d{0,2} [1-9]))[1-9]\\d{0,2}(?: ?\\(0\\))?"
          + "(?:[ .\\-/]?\\(?\\d++\\)?){1,7}+"
          + "(?![\\p{L}\\p{N}_]|[.,/-]?\\d)");
  /** US/NANP: (555) 123-4567, 555-123-4567, 555.123.4567, 555 123 4567, with an optional leading 1. */
  private static final Pattern PHONE_US = Pattern.compile(
      "(?<![\\p{L}\\p{N}_+./-])(?:1[ .-]?)?(?:\\([2-9]\\d{2}\\) ?\\d{3}[ .-]\\d{4}"
          + "|[2-9]\\d{2}([.-])\\d{3}\\1\\d{4}|[2-9]\\d{2} \\d{3} \\d{4})"
          + "(?![\\p{L}\\p{N}_]|[.,/-]?\\d)");
  /**
   * National forms with a trunk 0, as written in the UK (020 7946 0958, 07700 900123), Germany
   * (030 12345678, 0151 23456789, 030/1234567, (030) 1234567) and France (01 23 45 67 89,
   * 06.12.34.56.78): 10 to 12 digits and at least one separator.
   */
  private static final Pattern PHONE_NATIONAL = Pattern.compile(
      "(?<![\\p{L}\\p{N}_+./-])(?:\\(0[1-9]\\d{0,3}\\) ?\\d++|0[1-9]\\d{0,3}+[ ./-]\\d++)"
          + "(?:[ ./-]\\d++){0,4}+"
          + "(?![\\p{L}\\p{N}_]|[.,/-]?\\d)");

  public static PiiDetector phone() {
    List<PiiDetector> forms = List.of(
        RegexDetector.atWordStarts(PiiType.PHONE, PHONE_INTERNATIONAL,
            BuiltInDetectors::refineInternationalPhone, "+0",
            (text, i) -> (at(text, i, '+') && digit(text, i + 1))
                || (at(text, i, '0') && at(text, i + 1, '0')),
            "+", "00"),
        RegexDetector.atWordStarts(PiiType.PHONE, PHONE_US, (text, start, end) -> end, "(123456789",
            (text, i) -> (at(text, i, '(') || digit(text, i)) && digitsAhead(text, i, 16, 10)),
        RegexDetector.atWordStarts(PiiType.PHONE, PHONE_NATIONAL,
            (text, start, end) -> digitCount(text, start, end) >= 10 && digitCount(text, start, end) <= 12
                ? end : -1, "(0",
            (text, i) -> (at(text, i, '0') || (at(text, i, '(') && at(text, i + 1, '0')))
                && digitsAhead(text, i, 20, 10)));
    return text -> {
      List<List<PiiMatch>> perForm = new ArrayList<>(forms.size());
      boolean any = false;
      for (PiiDetector form : forms) {
        List<PiiMatch> found = form.detect(text);
        perForm.add(found);
        any |= !found.isEmpty();
      }
      return any ? Overlaps.resolve(perForm) : List.of();
    };
  }

  private static int refineInternationalPhone(String text, int start, int end) {
    // A closing parenthesis that belongs to the surrounding sentence is not part of the number.
    int open = 0;
    int close = 0;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c == '(') {
        open++;
      } else if (c == ')') {
        close++;
      }
    }
    if (close > open && text.charAt(end - 1) == ')') {
      end--;
    }
    int digits = digitCount(text, start, end) - (text.startsWith("00", start) ? 2 : 0)
        - (text.substring(start, end).contains("(0)") ? 1 : 0);
    return digits >= 8 && digits <= 15 ? end : -1;
  }

  private static int digitCount(String text, int start, int end) {
    int n = 0;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        n++;
      }
    }
    return n;
  }

  // ---- payment cards, IBAN, SSN -------------------------------------------------------------------

  private static final Pattern CARD = Pattern.compile(
      "(?<![\\p{L}\\p{N}_.,-])\\d(?:[ -]?\\d){12,18}(?![\\p{L}\\p{N}_]|[ -]\\d|[.,]\\d)");

  public static PiiDetector card() {
    return RegexDetector.atWordStarts(PiiType.CARD, CARD,
        (text, start, end) -> PaymentCards.isCardNumber(text, start, end) ? end : -1, "23456",
        (text, i) -> digit(text, i) && text.charAt(i) >= '2' && text.charAt(i) <= '6'
            && digitsAhead(text, i, 23, 13));
  }

  private static final Pattern IBAN = Pattern.compile(B + "[A-Za-z]{2}\\d{2}(?: ?[A-Za-z0-9]){10,40}");

  public static PiiDetector iban() {
    return RegexDetector.atWordStarts(PiiType.IBAN, IBAN, (text, start, end) -> Ibans.end(text, start),
        LETTERS,
        (text, i) -> asciiLetter(text, i) && asciiLetter(text, i + 1) && digit(text, i + 2)
            && digit(text, i + 3));
  }

  /** Area not 000, 666 or 9xx; group not 00; serial not 0000; dashes or spaces, used consistently. */
  private static final Pattern SSN = Pattern.compile(
      "(?<![\\p{L}\\p{N}_./-])(?!000|666|9)\\d{3}([- ])(?!00)\\d{2}\\1(?!0000)\\d{4}"
          + "(?![\\p{L}\\p{N}_]|[./-]\\d)");

  public static PiiDetector ssn() {
    return RegexDetector.atWordStarts(PiiType.SSN, SSN, (text, start, end) -> end, "0123456789",
        (text, i) -> digit(text, i) && digit(text, i + 2)
            && (at(text, i + 3, '-') || at(text, i + 3, ' ')));
  }

  // ---- IP addresses -------------------------------------------------------------------------------

  private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern IPV4 = Pattern.compile(
      "(?<![\\p{L}\\p{N}_.])" + OCTET + "(?:\\." + OCTET + "){3}(?![\\p{L}\\p{N}_]|\\.\\d)");
  /** A dotted quad right after one of these words is a version or section number, not an address. */
  private static final Pattern VERSION_WORD = Pattern.compile(
      "(?i)(?<![\\p{L}])(?:version|ver\\.?|v|release|build|rev|revision|firmware|fw|section|sect\\.?"
          + "|chapter|ch\\.|clause|article|art\\.|paragraph|para\\.?|step|item|§)[ :]*$");

  public static PiiDetector ipv4() {
    return RegexDetector.atWordStarts(PiiType.IPV4, IPV4, (text, start, end) -> {
      int from = Math.max(0, start - 12);
      return VERSION_WORD.matcher(text.substring(from, start)).find() ? -1 : end;
    }, "0123456789", BuiltInDetectors::dottedNumberAhead, ".");
  }

  private static final Pattern IPV6 = Pattern.compile(
      "(?<![\\p{L}\\p{N}_:.])(?=[0-9A-Fa-f]{0,4}::?[0-9A-Fa-f:])[0-9A-Fa-f:.]{2,45}+(?![\\p{L}\\p{N}_])");

  public static PiiDetector ipv6() {
    return RegexDetector.atWordStarts(PiiType.IPV6, IPV6, (text, start, end) -> {
      while (end > start && text.charAt(end - 1) == '.') {
        end--;
      }
      if (end - start > 2 && text.charAt(end - 1) == ':' && text.charAt(end - 2) != ':') {
        end--;
      }
      int colons = 0;
      boolean hexDigit = false;
      for (int i = start; i < end; i++) {
        char c = text.charAt(i);
        if (c == ':') {
          colons++;
        } else if (c != '.') {
          hexDigit = true;
        }
      }
      return colons >= 2 && hexDigit && Ipv6Syntax.isAddress(text, start, end) ? end : -1;
    }, ":0123456789abcdefABCDEF", BuiltInDetectors::hexGroupAhead, ":");
  }

  // ---- keys and tokens ----------------------------------------------------------------------------

  private static final Pattern OPENAI_KEY = Pattern.compile(
      "(?<![\\p{L}\\p{N}_-])sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}+(?![\\p{L}\\p{N}_-])");
  private static final Pattern ANTHROPIC_KEY = Pattern.compile(
      "(?<![\\p{L}\\p{N}_-])sk-ant-[A-Za-z0-9_-]{20,}+(?![\\p{L}\\p{N}_-])");

  public static PiiDetector openAiKey() {
    return RegexDetector.atWordStarts(PiiType.OPENAI_KEY, OPENAI_KEY, BuiltInDetectors::randomLooking,
        "s", (text, i) -> text.startsWith("sk-", i), "sk-");
  }

  public static PiiDetector anthropicKey() {
    return RegexDetector.atWordStarts(PiiType.ANTHROPIC_KEY, ANTHROPIC_KEY,
        BuiltInDetectors::randomLooking, "s", (text, i) -> text.startsWith("sk-ant-", i), "sk-ant-");
  }

  /**
   * Keys are random: a run of at least 16 letters and digits holding both. This keeps slugs such as
   * {@code sk-2024-annual-report-draft-v2} out.
   */
  private static int randomLooking(String text, int start, int end) {
    int run = 0;
    int best = 0;
    boolean letter = false;
    boolean digit = false;
    for (int i = start + 3; i < end; i++) {
      char c = text.charAt(i);
      boolean isDigit = c >= '0' && c <= '9';
      boolean isLetter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      digit |= isDigit;
      letter |= isLetter;
      run = isDigit || isLetter ? run + 1 : 0;
      best = Math.max(best, run);
    }
    return best >= 16 && letter && digit ? end : -1;
  }

  private static final Pattern AWS_ACCESS_KEY = Pattern.compile(
      "(?<![\\p{L}\\p{N}_])(?:AKIA|ASIA)[A-Z0-9]{16}(?![\\p{L}\\p{N}_])");

  public static PiiDetector awsAccessKey() {
    return RegexDetector.atWordStarts(PiiType.AWS_ACCESS_KEY, AWS_ACCESS_KEY,
        (text, start, end) -> end, "A", (text, i) -> text.startsWith("AKIA", i) || text.startsWith("ASIA", i),
        "AKIA", "ASIA");
  }

  private static final Pattern AWS_SECRET_KEYWORD = Pattern.compile(
      "(?i)aws[ _.-]?secret(?:[ _.-]?access)?(?:[ _.-]?key)?(?:[ _.-]?id)?|secret[ _-]access[ _-]key");
  private static final Pattern FORTY = Pattern.compile(
      "(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])");
  /** How far after the keyword the secret may start. */
  private static final int AWS_SECRET_WINDOW = 40;

  public static PiiDetector awsSecretKey() {
    return text -> {
      if (!containsIgnoreCase(text, "secret")) {
        return List.of();
      }
      List<PiiMatch> found = new ArrayList<>(1);
      Matcher keyword = AWS_SECRET_KEYWORD.matcher(text);
      while (keyword.find()) {
        Matcher value = FORTY.matcher(text);
        value.region(keyword.end(), Math.min(text.length(), keyword.end() + AWS_SECRET_WINDOW + 40));
        value.useTransparentBounds(true);
        if (value.find() && value.start() - keyword.end() <= AWS_SECRET_WINDOW
            && mixed(text, value.start(), value.end())) {
          found.add(PiiMatch.of(PiiType.AWS_SECRET_KEY, text, value.start(), value.end()));
        }
      }
      return found;
    };
  }

  private static boolean containsIgnoreCase(String text, String lowerCaseWord) {
    char first = lowerCaseWord.charAt(0);
    char firstUpper = Character.toUpperCase(first);
    for (int i = 0; i + lowerCaseWord.length() <= text.length(); i++) {
      char c = text.charAt(i);
      if ((c == first || c == firstUpper)
          && text.regionMatches(true, i, lowerCaseWord, 0, lowerCaseWord.length())) {
        return true;
      }
    }
    return false;
  }

  /** Upper- and lower-case letters, and a digit or a slash or plus: not a word, not a hex digest. */
  private static boolean mixed(String text, int start, int end) {
    boolean upper = false;
    boolean lower = false;
    boolean other = false;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      upper |= c >= 'A' && c <= 'Z';
      lower |= c >= 'a' && c <= 'z';
      other |= (c >= '0' && c <= '9') || c == '/' || c == '+';
    }
    return upper && lower && other;
  }

  private static final Pattern GITHUB_TOKEN = Pattern.compile(
      B + "(?:gh[pousr]_[A-Za-z0-9]{36,251}+|github_pat_[A-Za-z0-9_]{22,244}+)" + E);

  public static PiiDetector githubToken() {
    return RegexDetector.atWordStarts(PiiType.GITHUB_TOKEN, GITHUB_TOKEN, (text, start, end) -> end,
        "g", (text, i) -> true, "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_");
  }

  /**
   * A JSON object's base64url starts with {@code eyJ} (an opening brace and a quote), {@code eyA} (a
   * brace and a space) or {@code ewo} (a brace and a line break).
   */
  private static final Pattern JWT = Pattern.compile(
      "(?<![\\p{L}\\p{N}_.-])e[yw][A-Za-z0-9_-]{8,}+\\.[A-Za-z0-9_-]{2,}+\\.[A-Za-z0-9_-]*+"
          + "(?![\\p{L}\\p{N}_-]|\\.[A-Za-z0-9_-])");

  public static PiiDetector jwt() {
    return RegexDetector.atWordStarts(PiiType.JWT, JWT, (text, start, end) -> {
      int dot1 = text.indexOf('.', start);
      int dot2 = text.indexOf('.', dot1 + 1);
      String header = decodeBase64Url(text.substring(start, dot1));
      String payload = decodeBase64Url(text.substring(dot1 + 1, dot2));
      return header != null && payload != null && isJsonObject(header) && header.contains("\"alg\"")
          && isJsonObject(payload) ? end : -1;
    }, "e", (text, i) -> text.startsWith("ey", i) || text.startsWith("ew", i), "eyJ", "eyA", "ewo");
  }

  private static boolean isJsonObject(String s) {
    String t = s.strip();
    return t.startsWith("{") && t.endsWith("}");
  }

  private static @Nullable String decodeBase64Url(String s) {
    if (s.length() % 4 == 1) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static final Pattern PEM_BEGIN = Pattern.compile(
      "-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----");
  private static final Pattern PEM_END = Pattern.compile(
      "-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----");
  /** The body of a block cut off before its END line: base64 lines, split by line breaks or literal \n. */
  private static final Pattern PEM_TRUNCATED_BODY = Pattern.compile(
      "\\G(?:(?:\\s|\\\\r|\\\\n)++[A-Za-z0-9+/=]{8,}+)*+");

  public static PiiDetector privateKey() {
    return text -> {
      if (!text.contains("-----BEGIN ")) {
        return List.of();
      }
      List<PiiMatch> found = new ArrayList<>(1);
      Matcher begin = PEM_BEGIN.matcher(text);
      int from = 0;
      while (begin.find(from)) {
        Matcher end = PEM_END.matcher(text);
        int stop;
        if (end.find(begin.end())) {
          stop = end.end();
        } else {
          Matcher body = PEM_TRUNCATED_BODY.matcher(text);
          stop = body.find(begin.end()) ? body.end() : begin.end();
        }
        found.add(PiiMatch.of(PiiType.PRIVATE_KEY, text, begin.start(), stop));
        from = stop;
        if (from >= text.length()) {
          break;
        }
      }
      return found;
    };
  }
}
