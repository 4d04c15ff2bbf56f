package dev.llmgateway.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Edge cases of the built-in detectors that the corpus does not pin down one by one. */
class PiiDetectorsTest {

  private static List<String> found(PiiDetector detector, String text) {
    return detector.detect(text).stream().map(PiiMatch::value).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"536-22-8741", "665-12-3456", "899-99-9999", "123 45 6789", "001-01-0001"})
  void ssnsOutsideTheNeverIssuedRangesAreFound(String ssn) {
    assertThat(found(PiiDetectors.ssn(), "SSN " + ssn + ".")).containsExactly(ssn);
  }

  @ParameterizedTest
  @ValueSource(strings = {"000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", "123-00-4567",
      "123-45-0000", "123-45 6789", "1234-56-7890", "123456789"})
  void ssnsInTheNeverIssuedRangesOrMalformedAreNot(String ssn) {
    assertThat(found(PiiDetectors.ssn(), "SSN " + ssn + ".")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2001:db8::1", "::1", "::", "1::", "fe80::1ff:fe23:4567:890a", "::ffff:192.0.2.128",
      "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:db8:0:0:1:0:0:1", "1:2:3:4:5:6:7::",
      "::2:3:4:5:6:7:8", "64:ff9b::198.51.100.1", "1:2:3:4:5:6:1.2.3.4"})
  void ipv6AddressesInEveryCompressedFormAreFound(String address) {
    List<String> expected = address.equals("::") ? List.of() : List.of(address);
    assertThat(found(PiiDetectors.ipv6(), "host " + address + " answered")).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1:2:3:4:5:6:7:8:9", "1::2::3", "12345::1", "1:2:3:4:5:6:7", "::ffff:256.1.1.1",
      "2001:db8:::1", "g::1", "12:30:45", "00:1A:2B:3C:4D:5E", "::1.2.3"})
  void malformedIpv6IsNotAnAddress(String text) {
    assertThat(found(PiiDetectors.ipv6(), "value " + text + " here")).isEmpty();
  }

  @Test
  void ipv4NeedsValidOctetsAndNoVersionWordBefore() {
    PiiDetector ipv4 = PiiDetectors.ipv4();

    assertThat(found(ipv4, "hosts 10.0.0.1, 255.255.255.255 and 0.0.0.0.")).containsExactly("10.0.0.1",
        "255.255.255.255", "0.0.0.0");
    assertThat(found(ipv4, "256.1.1.1 01.2.3.4 1.2.3 1.2.3.4.5 v1.2.3.4 version 1.2.3.4 build 4.3.2.1"))
        .isEmpty();
    assertThat(found(ipv4, "Version: 2.1.0.3 and host 10.1.1.1")).containsExactly("10.1.1.1");
  }

  @Test
  void cardsNeedLuhnAKnownIssuerAndOneKindOfSeparator() {
    PiiDetector card = PiiDetectors.card();

    assertThat(found(card, "4111 1111 1111 1111")).containsExactly("4111 1111 1111 1111");
    assertThat(found(card, "4111-1111-1111-1111")).containsExactly("4111-1111-1111-1111");
    assertThat(found(card, "378282246310005")).containsExactly("378282246310005");
    assertThat(found(card, "4111 1111 1111 1112")).as("Luhn fails").isEmpty();
    assertThat(found(card, "4111-1111 1111-1111")).as("mixed separators").isEmpty();
    assertThat(found(card, "1548620579868284")).as("Luhn-valid, no issuer").isEmpty();
    assertThat(found(card, "490154203237518")).as("Luhn-valid IMEI, Visa needs 13/16/19").isEmpty();
    assertThat(found(card, "41111111111111110")).as("longer digit run").isEmpty();
  }

  @Test
  void ibansNeedTheirCountrysLengthAndMod97() {
    PiiDetector iban = PiiDetectors.iban();

    assertThat(found(iban, "IBAN DE89 3704 0044 0532 0130 00, thanks"))
        .containsExactly("DE89 3704 0044 0532 0130 00");
    assertThat(found(iban, "iban de89370400440532013000")).containsExactly("de89370400440532013000");
    assertThat(found(iban, "DE88 3704 0044 0532 0130 00")).as("checksum").isEmpty();
    assertThat(found(iban, "DE89 3704 0044 0532 0130")).as("too short").isEmpty();
    assertThat(found(iban, "DE89370400440532013000123")).as("too long").isEmpty();
    assertThat(found(iban, "QQ89370400440532013000")).as("no such country").isEmpty();
    assertThat(found(iban, "DE89370400440532013000 GB82WEST12345698765432"))
        .containsExactly("DE89370400440532013000", "GB82WEST12345698765432");
  }

  @Test
  void emailFileNamesAndUrlUserPartsAreNotAddresses() {
    PiiDetector email = PiiDetectors.email();

    assertThat(found(email, "logo@2x.png, a@b.co, https://token@github.com/x, o'brien@example.ie"))
        .containsExactly("a@b.co", "o'brien@example.ie");
    assertThat(found(email, "user@localhost and a..b@example.com")).isEmpty();
  }

  @Test
  void phoneFormsOfEachSupportedCountry() {
    PiiDetector phone = PiiDetectors.phone();

    for (String number : List.of("+1 (415) 555-2671", "(555) 123-4567", "555-123-4567", "555.123.4567",
        "1-800-555-0199", "+44 20 7946 0958", "+44 (0)20 7946 0958", "020 7946 0958", "07700 900123",
        "+49 30 1234567", "0049 30 1234567", "030 12345678", "030/1234567", "(030) 1234567",
        "0151 23456789", "+33 6 12 34 56 78", "01 23 45 67 89", "06.12.34.56.78", "+14155552671")) {
      assertThat(found(phone, "call " + number + " now")).as(number).containsExactly(number);
    }
    for (String notPhone : List.of("2024-03-15", "01.02.2024", "0301234567", "+45 degrees", "12:30",
        "978-3-16-148410-0", "0044 0532 0130", "1 234 567")) {
      assertThat(found(phone, "see " + notPhone + " here")).as(notPhone).isEmpty();
    }
  }

  @Test
  void keysNeedRandomLookingBodies() {
    assertThat(found(PiiDetectors.openAiKey(), "sk-2024-annual-report-draft-v2 sk-learn")).isEmpty();
    assertThat(found(PiiDetectors.openAiKey(), "key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789"))
        .as("an Anthropic key is not an OpenAI key").isEmpty();
    assertThat(found(PiiDetectors.anthropicKey(), "key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789"))
        .containsExactly("sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789");
    assertThat(found(PiiDetectors.awsAccessKey(), "AKIAIOSFODNN7EXAMPLE AKIA1234 XAKIAIOSFODNN7EXAMPLE"))
        .containsExactly("AKIAIOSFODNN7EXAMPLE");
    assertThat(found(PiiDetectors.githubToken(), "ghp_short ghx_" + "a".repeat(36))).isEmpty();
  }

  @Test
  void awsSecretsNeedTheirKeywordAndMixedCharacters() {
    String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    PiiDetector aws = PiiDetectors.awsSecretKey();

    assertThat(found(aws, "aws_secret_access_key=" + secret)).containsExactly(secret);
    assertThat(found(aws, "my AWS Secret: " + secret)).containsExactly(secret);
    assertThat(found(aws, "just a string " + secret)).as("no keyword").isEmpty();
    assertThat(found(aws, "aws secret, commit 9fceb02d0ae598e95dc970b74767f19372d61af8"))
        .as("a hex digest").isEmpty();
  }

  @Test
  void jwtsNeedAHeaderWithAlgAndAJsonPayload() {
    String jwt = "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJ1aWQiOjQyLCJyb2xlIjoiYWRtaW4ifQ.sig-nature_1";
    // {"typ":"JWT"} has no alg
    String noAlg = "eyJ0eXAiOiJKV1QifQ.eyJ1aWQiOjQyLCJyb2xlIjoiYWRtaW4ifQ.abc";

    assertThat(found(PiiDetectors.jwt(), "Bearer " + jwt + ".")).containsExactly(jwt);
    assertThat(found(PiiDetectors.jwt(), "Bearer " + noAlg)).isEmpty();
    assertThat(found(PiiDetectors.jwt(), "file eyJhbGciOi.invalid.token")).isEmpty();
  }

  @Test
  void privateKeyBlocksAreFoundWholeEvenWhenCutOff() {
    String block = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabcdEFGH1234+/==\n"
        + "-----END RSA PRIVATE KEY-----";
    String cut = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIinr64aMW9D\nbC5qFIDctKI0ZINda695p";

    assertThat(found(PiiDetectors.privateKey(), "key:\n" + block + "\nthanks")).containsExactly(block);
    assertThat(found(PiiDetectors.privateKey(), "key: " + cut + "\n\nWhy?")).containsExactly(cut);
    assertThat(found(PiiDetectors.privateKey(), "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkq\n"))
        .isEmpty();
  }

  @Test
  void everyBuiltInDetectorIgnoresTextWithoutPii() {
    String text = "The quarterly report for 2024-05-17 lists 1,249.90 EUR on order #48213, v1.2.3.";
    for (PiiDetector detector : PiiDetectors.all()) {
      assertThat(detector.detect(text)).as(detector.toString()).isEmpty();
    }
  }
}
