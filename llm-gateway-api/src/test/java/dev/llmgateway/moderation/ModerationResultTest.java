package dev.llmgateway.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.InvalidRequestException;
import dev.llmgateway.moderation.ModerationResult.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModerationResultTest {

  @Test
  void combiningKeepsTheStricterVerdictAndRuleAndTheHigherScores() {
    ModerationResult flag = new ModerationResult(Verdict.FLAG, List.of("profanity"),
        Map.of("profanity", 1.0, "violence", 0.1), "profanity/mild");
    ModerationResult block = new ModerationResult(Verdict.BLOCK, List.of("violence"),
        Map.of("violence", 0.9), "openai/omni-moderation-latest");

    ModerationResult both = flag.and(block);

    assertThat(both.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(both.matchedRule()).isEqualTo("openai/omni-moderation-latest");
    assertThat(both.categories()).containsExactly("violence", "profanity");
    assertThat(both.scores()).containsEntry("violence", 0.9).containsEntry("profanity", 1.0);
    assertThat(ModerationResult.ALLOWED.and(ModerationResult.allowed(Map.of("hate", 0.2))))
        .satisfies(r -> {
          assertThat(r.flagged()).isFalse();
          assertThat(r.scores()).containsEntry("hate", 0.2);
        });
  }

  @Test
  void invalidResultsAreRejected() {
    assertThatThrownBy(() -> new ModerationResult(Verdict.ALLOW, List.of("x"), Map.of(), null))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> ModerationResult.allowed(Map.of("x", 1.5)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("scores[x]");
  }

  @Test
  void allOfNeedsModerators() {
    assertThatThrownBy(() -> Moderator.allOf(List.of())).isInstanceOf(InvalidRequestException.class);
    assertThat(Moderator.allOf(List.of(text -> ModerationResult.ALLOWED)).moderate("hi"))
        .isEqualTo(ModerationResult.ALLOWED);
  }
}
