package dev.llmgateway.moderation.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.moderation.ModerationResult;
import dev.llmgateway.moderation.ModerationResult.Verdict;
import dev.llmgateway.moderation.Moderator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LocalPolicyModeratorTest {
  private final LocalPolicyModerator policy = LocalPolicyModerator.builder()
      .block("violence", "threats", List.of("i will kill you", "you are dead meat"))
      .flag("profanity", "mild", List.of("damn"))
      .blockPattern("fraud", "card-dump", "\\bfull(?:z| card) dumps?\\b")
      .build();

  @Test
  void aBlockingWordBlocksAndNamesItsCategoryAndRule() {
    ModerationResult r = policy.moderate("Listen. I will kill you tomorrow.");

    assertThat(r.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(r.categories()).containsExactly("violence");
    assertThat(r.matchedRule()).isEqualTo("violence/threats");
    assertThat(r.scores()).containsEntry("violence", 1.0);
  }

  @Test
  void aFlaggingWordOnlyReports() {
    ModerationResult r = policy.moderate("Damn, the build broke again.");

    assertThat(r.verdict()).isEqualTo(Verdict.FLAG);
    assertThat(r.blocks()).isFalse();
    assertThat(r.matchedRule()).isEqualTo("profanity/mild");
  }

  @Test
  void wordsMatchWholeWordsOnly() {
    assertThat(policy.moderate("The damning report was published.").verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(policy.moderate("Amsterdam is lovely").verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void caseAccentsSpacingAndDisguisesDoNotHideAWord() {
    assertThat(policy.moderate("I WILL   KILL YOU").blocks()).isTrue();
    assertThat(policy.moderate("i will k\u200Bill you").blocks()).isTrue();
    assertThat(policy.moderate("\u0456 will kill y\u043Eu").blocks()).isTrue(); // Cyrillic і, о
    assertThat(policy.moderate("I will kíll you").blocks()).isTrue();
  }

  @Test
  void blockingCategoriesComeFirstWhenSeveralMatch() {
    ModerationResult r = policy.moderate("Damn. Selling fullz dumps, I will kill you if you snitch.");

    assertThat(r.verdict()).isEqualTo(Verdict.BLOCK);
    assertThat(r.categories()).containsExactly("violence", "fraud", "profanity");
    assertThat(r.matchedRule()).isEqualTo("violence/threats");
  }

  @Test
  void cleanTextIsAllowed() {
    assertThat(policy.moderate("What a lovely day for a walk.")).isEqualTo(ModerationResult.ALLOWED);
  }

  @Test
  void aPolicyNeedsRulesWithDistinctIdsAndValidPatterns() {
    assertThatThrownBy(() -> LocalPolicyModerator.builder().build())
        .isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> LocalPolicyModerator.builder()
        .block("a", "x", List.of("one")).flag("a", "x", List.of("two")))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("a/x");
    assertThatThrownBy(() -> LocalPolicyModerator.builder().blockPattern("a", "bad", "("))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("a/bad");
  }

  @Test
  void allOfStopsAtTheFirstBlockAndCombinesTheRest() {
    AtomicInteger remoteCalls = new AtomicInteger();
    Moderator remote = text -> {
      remoteCalls.incrementAndGet();
      return ModerationResult.allowed(Map.of("violence", 0.2, "hate", 0.1));
    };
    Moderator both = Moderator.allOf(List.of(policy, remote));

    assertThat(both.moderate("I will kill you").blocks()).isTrue();
    assertThat(remoteCalls).hasValue(0);
    ModerationResult flagged = both.moderate("damn");
    assertThat(flagged.verdict()).isEqualTo(Verdict.FLAG);
    assertThat(flagged.scores()).containsEntry("violence", 0.2)
        .containsEntry("profanity", 1.0).containsEntry("hate", 0.1);
    assertThat(remoteCalls).hasValue(1);
  }
}
