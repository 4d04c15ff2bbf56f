package dev.llmgateway.redaction;

import dev.llmgateway.gateway.internal.Check;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A kind of personal data or secret, such as {@link #EMAIL} or {@link #OPENAI_KEY}. The built-in
 * detectors report the constants below; a host names its own types ({@code PiiType.of("EMPLOYEE_ID")}).
 * Types compare by name.
 *
 * <p>The name appears in masks ({@code [EMAIL]}), hashes ({@code [EMAIL:3f9a0c1d2b4e]}) and placeholders
 * ({@code <EMAIL_1>}), so it is restricted to upper-case ASCII letters, digits and underscores, starting
 * with a letter, at most 32 characters.
 *
 * @param name the type's name, e.g. {@code EMAIL}
 */
public record PiiType(String name) {
  private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

  /** An e-mail address. */
  public static final PiiType EMAIL = new PiiType("EMAIL");
  /** A phone number in international form or a supported national form (US, UK, DE, FR). */
  public static final PiiType PHONE = new PiiType("PHONE");
  /** A payment card number (PAN), Luhn-checked, with a known issuer prefix and length. */
  public static final PiiType CARD = new PiiType("CARD");
  /** An IBAN, checked against its country's length and the ISO 13616 mod-97 checksum. */
  public static final PiiType IBAN = new PiiType("IBAN");
  /** A US social security number outside the never-issued ranges. */
  public static final PiiType SSN = new PiiType("SSN");
  /** An IPv4 address. */
  public static final PiiType IPV4 = new PiiType("IPV4");
  /** An IPv6 address, compressed forms included. */
  public static final PiiType IPV6 = new PiiType("IPV6");
  /** An OpenAI API key ({@code sk-...}, {@code sk-proj-...}, {@code sk-svcacct-...}). */
  public static final PiiType OPENAI_KEY = new PiiType("OPENAI_KEY");
  /** An Anthropic API key ({@code sk-ant-...}). */
  public static final PiiType ANTHROPIC_KEY = new PiiType("ANTHROPIC_KEY");
  /** An AWS access key id ({@code AKIA...}, {@code ASIA...}). */
  public static final PiiType AWS_ACCESS_KEY = new PiiType("AWS_ACCESS_KEY");
  /** An AWS secret access key: a 40-character string right after an "aws secret" keyword. */
  public static final PiiType AWS_SECRET_KEY = new PiiType("AWS_SECRET_KEY");
  /**
   * A GitHub token ({@code ghp_}, {@code gho_}, {@code ghu_}, {@code ghs_}, {@code ghr_},
   * {@code github_pat_}).
   */
  public static final PiiType GITHUB_TOKEN = new PiiType("GITHUB_TOKEN");
  /** A JSON Web Token whose header decodes to a JSON object with {@code "alg"}. */
  public static final PiiType JWT = new PiiType("JWT");
  /** A PEM private-key block ({@code -----BEGIN ... PRIVATE KEY-----}). */
  public static final PiiType PRIVATE_KEY = new PiiType("PRIVATE_KEY");

  /** The built-in personal-data types: e-mail, phone, card, IBAN, SSN, IPv4, IPv6. */
  public static final List<PiiType> PERSONAL_DATA = List.of(EMAIL, PHONE, CARD, IBAN, SSN, IPV4, IPV6);
  /** The built-in secret types: API keys, tokens, JWTs and private keys. */
  public static final List<PiiType> SECRETS = List.of(OPENAI_KEY, ANTHROPIC_KEY, AWS_ACCESS_KEY,
      AWS_SECRET_KEY, GITHUB_TOKEN, JWT, PRIVATE_KEY);

  public PiiType {
    Check.nonNull(name, "pii type name");
    Check.that(NAME.matcher(name).matches(), "pii type name must be upper-case letters, digits and "
        + "underscores, starting with a letter, at most 32 characters; was '" + name + "'");
  }

  /** A type named {@code name}; the same as the constant when it names a built-in type. */
  public static PiiType of(String name) {
    return new PiiType(name);
  }

  @Override
  public String toString() {
    return name;
  }
}
