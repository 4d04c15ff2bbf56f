package dev.llmgateway.redaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.LlmConfigurationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionPolicyTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    RedactionPolicy policy = RedactionPolicy.defaults();

    assertThat(policy.detectors()).isEqualTo(RedactionPolicy.DEFAULT_DETECTORS);
    assertThat(policy.detectors()).hasSize(14);
    assertThat(policy.modes()).isEqualTo(RedactionPolicy.DEFAULT_MODES);
    assertThat(policy.otherTypesMode()).isEqualTo(RedactionPolicy.DEFAULT_OTHER_TYPES_MODE)
        .isEqualTo(RedactionMode.PLACEHOLDER);
    assertThat(policy.hashLength()).isEqualTo(RedactionPolicy.DEFAULT_HASH_LENGTH).isEqualTo(12);
    assertThat(policy.hashSalt()).matches("[0-9a-f]{" + 2 * RedactionPolicy.DEFAULT_SALT_BYTES + "}");
  }

  @Test
  void personalDataDefaultsToPlaceholdersAndSecretsToMasks() {
    RedactionPolicy policy = RedactionPolicy.defaults();

    for (PiiType type : List.of(PiiType.EMAIL, PiiType.PHONE, PiiType.CARD, PiiType.IBAN, PiiType.SSN,
        PiiType.IPV4, PiiType.IPV6)) {
      assertThat(policy.modeFor(type)).as("%s", type).isEqualTo(RedactionMode.PLACEHOLDER);
    }
    for (PiiType type : List.of(PiiType.OPENAI_KEY, PiiType.ANTHROPIC_KEY, PiiType.AWS_ACCESS_KEY,
        PiiType.AWS_SECRET_KEY, PiiType.GITHUB_TOKEN, PiiType.JWT, PiiType.PRIVATE_KEY)) {
      assertThat(policy.modeFor(type)).as("%s", type).isEqualTo(RedactionMode.MASK);
    }
    assertThat(policy.modeFor(PiiType.of("EMPLOYEE_ID"))).isEqualTo(RedactionMode.PLACEHOLDER);
  }

  @Test
  void eachPolicyDrawsItsOwnSaltUnlessOneIsSet() {
    assertThat(RedactionPolicy.defaults().hashSalt()).isNotEqualTo(RedactionPolicy.defaults().hashSalt());
    assertThat(RedactionPolicy.builder().hashSalt("pepper").build().hashSalt()).isEqualTo("pepper");
  }

  @Test
  void toStringNeverShowsTheSalt() {
    RedactionPolicy policy = RedactionPolicy.builder().hashSalt("very-secret-salt").build();

    assertThat(policy.toString()).doesNotContain("very-secret-salt").contains("hidden");
  }

  @Test
  void builderSetsModesDetectorsAndHashing() {
    PiiDetector mine = text -> List.of();
    RedactionPolicy policy = RedactionPolicy.builder()
        .mode(PiiType.CARD, RedactionMode.REFUSE)
        .modes(PiiType.SECRETS, RedactionMode.HASH)
        .otherTypesMode(RedactionMode.MASK)
        .addDetector(mine)
        .hashLength(16)
        .build();

    assertThat(policy.modeFor(PiiType.CARD)).isEqualTo(RedactionMode.REFUSE);
    assertThat(policy.modeFor(PiiType.JWT)).isEqualTo(RedactionMode.HASH);
    assertThat(policy.modeFor(PiiType.of("OTHER"))).isEqualTo(RedactionMode.MASK);
    assertThat(policy.detectors()).hasSize(15).endsWith(mine);
    assertThat(policy.hashLength()).isEqualTo(16);
    assertThat(policy.toBuilder().build()).isEqualTo(policy);
  }

  @Test
  void detectorsCanBeReplaced() {
    RedactionPolicy policy = RedactionPolicy.builder().detectors(List.of(PiiDetectors.email())).build();

    assertThat(policy.detect("mail a@example.com or call +44 20 7946 0958"))
        .extracting(m -> m.type()).containsExactly(PiiType.EMAIL);
  }

  @Test
  void rejectsContradictoryOrEmptySettings() {
    assertThatThrownBy(() -> RedactionPolicy.builder().hashLength(4).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("hashLength");
    assertThatThrownBy(() -> RedactionPolicy.builder().hashLength(65).build())
        .isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> RedactionPolicy.builder().detectors(List.of()).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("detector");
    assertThatThrownBy(() -> RedactionPolicy.builder().hashSalt(""))
        .isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> new RedactionPolicy(List.of(PiiDetectors.email()), Map.of(),
        RedactionMode.MASK, "salt", 12).modes().put(PiiType.EMAIL, RedactionMode.ALLOW))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void overlapsAreResolvedLongestFirstThenEarliestThenByDetectorOrder() {
    PiiType a = PiiType.of("A");
    PiiType b = PiiType.of("B");
    PiiType c = PiiType.of("C");
    String text = "0123456789";
    RedactionPolicy policy = RedactionPolicy.builder().detectors(List.of(
        t -> List.of(PiiMatch.of(a, t, 0, 3), PiiMatch.of(a, t, 6, 9)),
        t -> List.of(PiiMatch.of(b, t, 2, 7)),
        t -> List.of(PiiMatch.of(c, t, 6, 9), PiiMatch.of(c, t, 8, 10))))
        .build();

    // [2,7) is the longest and wins; [0,3) and [6,9) overlap it; [8,10) is then free.
    assertThat(policy.detect(text)).extracting(PiiMatch::toString)
        .containsExactly("PiiMatch[B 2..7]", "PiiMatch[C 8..10]");

    RedactionPolicy tie = RedactionPolicy.builder().detectors(List.of(
        t -> List.of(PiiMatch.of(c, t, 1, 4)),
        t -> List.of(PiiMatch.of(a, t, 0, 3), PiiMatch.of(b, t, 5, 8)),
        t -> List.of(PiiMatch.of(c, t, 5, 8))))
        .build();

    // Equal lengths: the earliest wins ([0,3) over [1,4)); the same span: the first detector (B over C).
    assertThat(tie.detect(text)).extracting(PiiMatch::toString)
        .containsExactly("PiiMatch[A 0..3]", "PiiMatch[B 5..8]");
  }

  @Test
  void aDetectorReportingSomethingThatIsNotASpanOfTheTextFailsLoudly() {
    RedactionPolicy policy = RedactionPolicy.builder().detectors(List.of(
        t -> List.of(new PiiMatch(PiiType.EMAIL, 0, 3, "xyz")))).build();

    assertThatThrownBy(() -> policy.detect("abcdef"))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("not a span");
  }

  @Test
  void matchesShowTheirTypeAndSpanButNeverTheValue() {
    PiiMatch match = PiiMatch.of(PiiType.EMAIL, "mail a@example.com", 5, 18);

    assertThat(match.value()).isEqualTo("a@example.com");
    assertThat(match.toString()).isEqualTo("PiiMatch[EMAIL 5..18]").doesNotContain("example");
  }

  @Test
  void typeNamesMustFitPlaceholders() {
    assertThat(PiiType.of("EMAIL")).isEqualTo(PiiType.EMAIL);
    assertThatThrownBy(() -> PiiType.of("e-mail")).isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> PiiType.of("A".repeat(33))).isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> new PiiMatch(PiiType.EMAIL, 3, 3, ""))
        .isInstanceOf(LlmConfigurationException.class);
  }
}
