package dev.llmgateway.redaction;

import dev.llmgateway.redaction.internal.BuiltInDetectors;
import java.util.List;

/**
 * The built-in detectors, one per {@link PiiType} constant. Each reports only values that pass the
 * shape's own check (Luhn, mod 97, a known issuer, decoding), and only at word boundaries: a value glued
 * to letters or digits is not reported. What each one finds, and what it deliberately leaves alone, is
 * listed in {@code docs/safety.md}.
 */
public final class PiiDetectors {
  private PiiDetectors() {}

  /**
   * Every built-in detector, in this order: private keys, JWTs, Anthropic, OpenAI, GitHub, AWS access
   * and secret keys, e-mail, IBAN, card, SSN, IPv6, IPv4, phone. The order breaks ties between equally
   * long matches of the same text (see {@link RedactionPolicy#detect(String)}).
   */
  public static List<PiiDetector> all() {
    return List.of(privateKey(), jwt(), anthropicKey(), openAiKey(), githubToken(), awsAccessKey(),
        awsSecretKey(), email(), iban(), card(), ssn(), ipv6(), ipv4(), phone());
  }

  /**
   * E-mail addresses: a local part of letters, digits and {@code ._%+-'} (Unicode letters included), an
   * {@code @}, and a domain of at least two labels ending in a letters-only top-level label. Image and
   * document endings ({@code icon@2x.png}) are not addresses, nor is the user part of a URL
   * ({@code https://token@host}).
   */
  public static PiiDetector email() {
    return BuiltInDetectors.email();
  }

  /**
   * Phone numbers in these forms: international with {@code +} or {@code 00} and a country code
   * (8 to 15 digits, an optional {@code (0)}, groups separated by one space, dot, dash or slash); US/NANP
   * ({@code (555) 123-4567}, {@code 555-123-4567}, {@code 555.123.4567}, {@code 555 123 4567}, with an
   * optional leading {@code 1}); and national forms with a trunk {@code 0} and at least one separator, 10
   * to 12 digits, as written in the UK ({@code 020 7946 0958}, {@code 07700 900123}), Germany
   * ({@code 030 12345678}, {@code 030/1234567}, {@code (0151) 23456789}) and France
   * ({@code 01 23 45 67 89}, {@code 06.12.34.56.78}). Unseparated national numbers are not reported:
   * they look like order numbers.
   */
  public static PiiDetector phone() {
    return BuiltInDetectors.phone();
  }

  /**
   * Payment card numbers: 13 to 19 digits, compact or grouped with one kind of separator (spaces or
   * dashes), Luhn-valid, with a known issuer prefix for their length (Visa, Mastercard, American Express,
   * Discover, Diners Club, JCB, UnionPay, Maestro, Mir).
   */
  public static PiiDetector card() {
    return BuiltInDetectors.card();
  }

  /**
   * IBANs, compact or in space-separated groups, either case, exactly as long as their country's IBAN
   * (SWIFT registry) and passing the mod-97 checksum.
   */
  public static PiiDetector iban() {
    return BuiltInDetectors.iban();
  }

  /**
   * US social security numbers written {@code AAA-GG-SSSS} or {@code AAA GG SSSS}, outside the ranges
   * never issued: area 000, 666 and 900-999, group 00, serial 0000. Nine digits in a row are not
   * reported.
   */
  public static PiiDetector ssn() {
    return BuiltInDetectors.ssn();
  }

  /**
   * IPv4 addresses: four dot-separated decimal octets 0-255 without leading zeros, loopback and private
   * ranges included. A dotted quad right after a version or section word ({@code version}, {@code ver},
   * {@code v}, {@code release}, {@code build}, {@code rev}, {@code firmware}, {@code section},
   * {@code chapter}, {@code clause}, {@code article}, {@code paragraph}, {@code step}, {@code item},
   * {@code §}) is a version or section number, and one that is part of a longer dotted sequence
   * ({@code 1.3.6.1.4.1}) is not an address.
   */
  public static PiiDetector ipv4() {
    return BuiltInDetectors.ipv4();
  }

  /**
   * IPv6 addresses, full or compressed ({@code ::}), with an optional trailing dotted IPv4 part, checked
   * by a strict parser (no name resolution). Times ({@code 12:30:45}), MAC addresses and {@code ::} in
   * code ({@code std::vector}) are not addresses.
   */
  public static PiiDetector ipv6() {
    return BuiltInDetectors.ipv6();
  }

  /**
   * OpenAI keys: {@code sk-}, {@code sk-proj-}, {@code sk-svcacct-} or {@code sk-admin-} followed by at
   * least 20 key characters with a run of 16 or more letters and digits holding both.
   */
  public static PiiDetector openAiKey() {
    return BuiltInDetectors.openAiKey();
  }

  /** Anthropic keys: {@code sk-ant-} followed by at least 20 key characters, random-looking as above. */
  public static PiiDetector anthropicKey() {
    return BuiltInDetectors.anthropicKey();
  }

  /** AWS access key ids: {@code AKIA} or {@code ASIA} followed by 16 upper-case letters or digits. */
  public static PiiDetector awsAccessKey() {
    return BuiltInDetectors.awsAccessKey();
  }

  /**
   * AWS secret access keys: a 40-character string of letters, digits, {@code /} and {@code +}, mixing
   * upper and lower case with a digit or symbol, starting at most 40 characters after a keyword such as
   * {@code aws_secret_access_key}, {@code AWS secret} or {@code secret access key}. Without the keyword a
   * 40-character string (a git commit id, a digest) is not reported.
   */
  public static PiiDetector awsSecretKey() {
    return BuiltInDetectors.awsSecretKey();
  }

  /**
   * GitHub tokens: {@code ghp_}, {@code gho_}, {@code ghu_}, {@code ghs_} or {@code ghr_} followed by at
   * least 36 letters and digits, and fine-grained {@code github_pat_} tokens.
   */
  public static PiiDetector githubToken() {
    return BuiltInDetectors.githubToken();
  }

  /**
   * JSON Web Tokens: three base64url segments separated by dots (the signature may be empty) whose header
   * decodes to a JSON object with an {@code "alg"} member and whose payload decodes to a JSON object.
   */
  public static PiiDetector jwt() {
    return BuiltInDetectors.jwt();
  }

  /**
   * PEM private-key blocks ({@code -----BEGIN RSA PRIVATE KEY-----}, EC, DSA, OPENSSH, ENCRYPTED, PGP
   * ... {@code BLOCK}) up to and including their END line. A block cut off before its END line is reported
   * from the BEGIN line to the end of its base64 lines.
   */
  public static PiiDetector privateKey() {
    return BuiltInDetectors.privateKey();
  }
}
