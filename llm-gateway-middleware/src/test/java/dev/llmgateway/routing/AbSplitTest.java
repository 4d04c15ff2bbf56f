package dev.llmgateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.error.LlmConfigurationException;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AbSplitTest {
  private static final int USERS = 10_000;

  private static ChatRequest as(String user) {
    return ChatRequest.builder().model("chat").user("hi").metadata(RequestMetadata.EMPTY.withUser(user))
        .build();
  }

  private static AbSplit eightyTwenty(String experiment) {
    return AbSplit.builder(experiment, "chat").variant("control", 80).variant("trial", 20).build();
  }

  @Test
  void theSameUserAlwaysGetsTheSameVariant() {
    AbSplit split = eightyTwenty("exp-1");
    AbSplit rebuilt = eightyTwenty("exp-1");
    for (int u = 0; u < 200; u++) {
      String user = "user-" + u;
      String variant = split.select(as(user));
      for (int i = 0; i < 5; i++) {
        assertThat(split.select(as(user))).isEqualTo(variant);
      }
      assertThat(rebuilt.select(as(user))).as("another instance, e.g. after a restart").isEqualTo(variant);
      assertThat(split.variantFor(user)).isEqualTo(variant);
    }
  }

  @Test
  void usersSplitByThePercentagesWithinFiveSigma() {
    AbSplit split = eightyTwenty("exp-1");
    Map<String, Integer> counts = new HashMap<>();
    for (int u = 0; u < USERS; u++) {
      counts.merge(split.select(as("user-" + u)), 1, Integer::sum);
    }
    // Expected 2,000 in the trial; standard deviation sqrt(10,000 * 0.2 * 0.8) = 40; bound +-200.
    assertThat(counts.get("trial")).isBetween(1_800, 2_200);
    assertThat(counts.get("control") + counts.get("trial")).isEqualTo(USERS);
  }

  @Test
  void assignmentsOfDifferentExperimentsAreIndependent() {
    AbSplit first = eightyTwenty("exp-1");
    AbSplit second = eightyTwenty("exp-2");
    int inBothTrials = 0;
    for (int u = 0; u < USERS; u++) {
      String user = "user-" + u;
      if (first.variantFor(user).equals("trial") && second.variantFor(user).equals("trial")) {
        inBothTrials++;
      }
    }
    // Independent: 10,000 * 0.2 * 0.2 = 400 expected, standard deviation 19.6; bound +-100.
    assertThat(inBothTrials).isBetween(300, 500);
  }

  @Test
  void requestsWithoutAUserAreAssignedAtRandomPerCall() {
    AbSplit split = AbSplit.builder("exp", "chat").variant("control", 50).variant("trial", 50)
        .random(new SplittableRandom(9)).build();
    ChatRequest anonymous = ChatRequest.builder().model("chat").user("hi").build();
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 1_000; i++) {
      counts.merge(split.select(anonymous), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys("control", "trial");
  }

  @Test
  void theStickyKeyCanBeTheTenant() {
    AbSplit split = AbSplit.builder("exp", "chat").variant("control", 50).variant("trial", 50)
        .stickyKey(r -> r.metadata().tenant()).build();
    ChatRequest acme = ChatRequest.builder().model("chat").user("hi")
        .metadata(RequestMetadata.EMPTY.withTenant("acme").withUser("someone")).build();
    assertThat(split.select(acme)).isEqualTo(split.variantFor("acme"));
  }

  @Test
  void otherModelsAreLeftAlone() {
    assertThat(eightyTwenty("exp").select(ChatRequest.builder().model("other").user("hi").build())).isNull();
  }

  @Test
  void percentagesMustAddUpToAHundredWithAtMostTwoDecimals() {
    assertThatThrownBy(() -> AbSplit.builder("e", "chat").variant("a", 60).variant("b", 30).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("add up to 100");
    assertThatThrownBy(() -> AbSplit.builder("e", "chat").variant("a", 100).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("two variants");
    assertThatThrownBy(() -> AbSplit.builder("e", "chat").variant("a", 33.333))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("two decimals");
    assertThatThrownBy(() -> AbSplit.builder("e", "chat").variant("a", 50).variant("a", 50))
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("twice");
    assertThat(AbSplit.builder("e", "chat").variant("a", 33.33).variant("b", 33.33).variant("c", 33.34)
        .build().variants()).hasSize(3);
  }

  @Test
  void theDefaultStickyKeyIsTheUser() {
    assertThat(AbSplit.DEFAULT_STICKY_KEY.apply(as("u-1"))).isEqualTo("u-1");
    assertThat(AbSplit.BUCKETS).isEqualTo(10_000);
  }

  @Test
  void aRouterRejectsASplitIntoAGroupItDoesNotHave() {
    assertThatThrownBy(() -> RouterInterceptor.builder()
        .group(ModelGroup.builder("control").deployment(Deployment.of("a", "a/m")).build())
        .groupSelector(eightyTwenty("exp")).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("'trial'");
  }
}
