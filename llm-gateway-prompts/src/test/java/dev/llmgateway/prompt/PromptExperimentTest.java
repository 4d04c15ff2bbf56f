package dev.llmgateway.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.routing.AbSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptExperimentTest {
  static final int USERS = 10_000;

  static Prompt version(int v, String modelGroup) {
    return Prompt.builder("summarize", v).modelGroup(modelGroup).user("v" + v + ": {{text}}").build();
  }

  static PromptExperiment byVersion() {
    return PromptExperiment.builder("summarize-v2-trial", "summarize")
        .variant("control", 1, null, 30)
        .variant("v2", 2, null, 70)
        .build();
  }

  static PromptRegistry registry(PromptExperiment experiment) {
    return PromptRegistry.builder().add(version(1, "chat-fast")).add(version(2, "chat-fast"))
        .add(version(3, "chat-fast")).current("summarize@1").experiment(experiment).build();
  }

  static RequestMetadata user(String user) {
    return RequestMetadata.EMPTY.withUser(user);
  }

  @Test
  void theSameUserAlwaysGetsTheSameVariantAcrossCallsAndInstances() {
    PromptRegistry one = registry(byVersion());
    PromptRegistry other = registry(byVersion());
    for (int i = 0; i < 1_000; i++) {
      String variant = one.select("summarize", user("user-" + i)).variant();
      for (int call = 0; call < 3; call++) {
        assertThat(one.select("summarize", user("user-" + i)).variant()).isEqualTo(variant);
      }
      assertThat(other.select("summarize", user("user-" + i)).variant()).isEqualTo(variant);
    }
  }

  @Test
  void splitsUsersWithinThreeStandardDeviationsOfThePercentages() {
    PromptRegistry registry = registry(byVersion());
    int control = 0;
    for (int i = 0; i < USERS; i++) {
      if ("control".equals(registry.select("summarize", user("user-" + i)).variant())) {
        control++;
      }
    }
    double p = 0.30;
    double expected = USERS * p;
    double standardDeviation = Math.sqrt(USERS * p * (1 - p)); // binomial
    assertThat((double) control).isBetween(expected - 3 * standardDeviation,
        expected + 3 * standardDeviation);
  }

  @Test
  void assignsUsersExactlyAsARouterAbSplitOfTheSameName() {
    PromptExperiment experiment = byVersion();
    AbSplit split = AbSplit.builder("summarize-v2-trial", "any").variant("control", 30).variant("v2", 70)
        .build();
    for (int i = 0; i < 1_000; i++) {
      String key = "user-" + i;
      assertThat(experiment.variantFor(key).name()).isEqualTo(split.variantFor(key));
      assertThat(experiment.assign(user(key)).bucket()).isEqualTo(split.bucket(key))
          .isEqualTo(AbSplit.bucketOf("summarize-v2-trial", key));
    }
  }

  @Test
  void aVariantByVersionSendsThatVersionOnItsOwnModelGroup() {
    PromptRegistry registry = registry(byVersion());
    for (int i = 0; i < 200; i++) {
      PromptSelection s = registry.select("summarize", user("user-" + i));
      assertThat(s.prompt().version()).isEqualTo("control".equals(s.variant()) ? 1 : 2);
      assertThat(s.modelGroup()).isEqualTo("chat-fast");
      assertThat(s.assignment().sticky()).isTrue();
      assertThat(s.assignment().experiment()).isEqualTo("summarize-v2-trial");
    }
  }

  @Test
  void aVariantByModelGroupSendsTheCurrentVersionElsewhere() {
    PromptExperiment experiment = PromptExperiment.builder("claude-trial", "summarize")
        .variant("gpt", null, null, 50)
        .variant("claude", null, "chat-claude", 50)
        .build();
    PromptRegistry registry = registry(experiment);
    boolean sawBoth = false;
    for (int i = 0; i < 200; i++) {
      PromptSelection s = registry.select("summarize", user("user-" + i));
      assertThat(s.prompt().ref()).isEqualTo("summarize@1");
      assertThat(s.modelGroup()).isEqualTo("claude".equals(s.variant()) ? "chat-claude" : "chat-fast");
      ChatRequest request = s.toRequest(Map.of("text", "t"), user("user-" + i));
      assertThat(request.model()).isEqualTo(s.modelGroup());
      sawBoth |= "claude".equals(s.variant());
    }
    assertThat(sawBoth).isTrue();
  }

  @Test
  void aVariantCanChangeVersionAndModelGroupTogether() {
    PromptExperiment experiment = PromptExperiment.builder("both", "summarize")
        .variant("control", null, null, 0.01)
        .variant("v3-smart", 3, "chat-smart", 99.99)
        .build();
    PromptSelection s = registry(experiment).select("summarize", user("u"));
    assertThat(s.variant()).isEqualTo("v3-smart");
    assertThat(s.prompt().ref()).isEqualTo("summarize@3");
    assertThat(s.modelGroup()).isEqualTo("chat-smart");
  }

  @Test
  void theSelectionSaysWhenTheVariantChoseTheModelGroupEvenTheVersionsOwn() {
    PromptExperiment experiment = PromptExperiment.builder("groups", "summarize")
        .variant("same-group", 1, "chat-fast", 50)   // names the version's own group explicitly
        .variant("own-group", 2, null, 50)
        .build();
    PromptRegistry registry = registry(experiment);
    boolean sawSame = false;
    boolean sawOwn = false;
    for (int i = 0; i < 200; i++) {
      PromptSelection s = registry.select("summarize", user("user-" + i));
      assertThat(s.modelGroup()).isEqualTo("chat-fast");
      if ("same-group".equals(s.variant())) {
        sawSame = true;
        assertThat(s.variantModelGroup()).isEqualTo("chat-fast");
        assertThat(s.modelGroupFromVariant()).isTrue();
      } else {
        sawOwn = true;
        assertThat(s.variantModelGroup()).isNull();
        assertThat(s.modelGroupFromVariant()).isFalse();
      }
    }
    assertThat(sawSame && sawOwn).isTrue();
    assertThat(registry.select("summarize@1", user("u")).variantModelGroup()).as("pinned").isNull();
    assertThat(PromptRegistry.builder().add(version(1, "chat-fast")).build()
        .select("summarize", user("u")).variantModelGroup()).as("no experiment").isNull();
  }

  @Test
  void aSelectionsVariantModelGroupNeedsAnAssignmentAndIsTheGroupSent() {
    Prompt prompt = version(1, "chat-fast");
    PromptExperiment.Assignment assignment = new PromptExperiment.Assignment("x", "a", 0, true);

    assertThat(new PromptSelection(prompt, "chat-fast", assignment).variantModelGroup())
        .as("the three-argument form says the group is not the variant's").isNull();
    assertThat(PromptSelection.of(prompt).variantModelGroup()).isNull();
    assertThat(new PromptSelection(prompt, "chat-smart", assignment, "chat-smart").modelGroupFromVariant())
        .isTrue();
    assertThatThrownBy(() -> new PromptSelection(prompt, "chat-smart", null, "chat-smart"))
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("needs an assignment");
    assertThatThrownBy(() -> new PromptSelection(prompt, "chat-fast", assignment, "chat-smart"))
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("must equal modelGroup");
  }

  @Test
  void aPinnedVersionIsOutsideTheExperiment() {
    PromptSelection s = registry(byVersion()).select("summarize@3", user("u"));
    assertThat(s.prompt().ref()).isEqualTo("summarize@3");
    assertThat(s.assignment()).isNull();
    assertThat(s.variant()).isNull();
    assertThat(registry(byVersion()).get("summarize").ref()).isEqualTo("summarize@1");
  }

  @Test
  void theVariantIsRecordedInTheRequestTags() {
    RequestMetadata metadata = new RequestMetadata("acme", "alice", null, Map.of("feature", "search"));
    PromptSelection s = registry(byVersion()).select("summarize", metadata);
    ChatRequest request = s.toRequest(Map.of("text", "t"), metadata);
    assertThat(request.metadata().tags()).containsOnly(
        Map.entry("feature", "search"),
        Map.entry("prompt", s.ref()),
        Map.entry("prompt.experiment", "summarize-v2-trial"),
        Map.entry("prompt.variant", s.variant()));
    assertThat(request.metadata().user()).isEqualTo("alice");
  }

  @Test
  void outsideAnExperimentStaleVariantTagsAreRemoved() {
    RequestMetadata metadata = RequestMetadata.EMPTY.withTags(Map.of("prompt.variant", "stale",
        "prompt.experiment", "old"));
    ChatRequest request = PromptSelection.of(version(1, "m")).toRequest(Map.of("text", "t"), metadata);
    assertThat(request.metadata().tags()).containsOnly(Map.entry("prompt", "summarize@1"));
  }

  @Test
  void aCallWithoutAKeyGetsARandomVariantForThatCallOnly() {
    PromptExperiment experiment = PromptExperiment.builder("x", "summarize")
        .variant("a", 1, null, 50).variant("b", 2, null, 50).random(new Random(42)).build();
    PromptExperiment.Assignment assignment = experiment.assign(RequestMetadata.EMPTY);
    assertThat(assignment.sticky()).isFalse();
    assertThat(assignment.variant()).isIn("a", "b");
    PromptExperiment same = PromptExperiment.builder("x", "summarize")
        .variant("a", 1, null, 50).variant("b", 2, null, 50).random(new Random(42)).build();
    assertThat(same.assign(RequestMetadata.EMPTY)).isEqualTo(assignment);
  }

  @Test
  void defaultsToTheUserAsStickyKey() {
    PromptExperiment experiment = byVersion();
    assertThat(experiment.stickyKey()).isSameAs(PromptExperiment.DEFAULT_STICKY_KEY);
    assertThat(PromptExperiment.DEFAULT_STICKY_KEY.apply(new RequestMetadata("t", "u", "a", Map.of())))
        .isEqualTo("u");
  }

  @Test
  void theStickyKeyIsConfigurable() {
    PromptExperiment byTenant = PromptExperiment.builder("by-tenant", "summarize")
        .variant("a", 1, null, 50).variant("b", 2, null, 50).stickyKey(RequestMetadata::tenant).build();
    for (int t = 0; t < 50; t++) {
      String tenant = "tenant-" + t;
      String variant = byTenant.assign(new RequestMetadata(tenant, "u1", null, Map.of())).variant();
      for (int u = 2; u < 10; u++) {
        assertThat(byTenant.assign(new RequestMetadata(tenant, "u" + u, null, Map.of())).variant())
            .isEqualTo(variant);
      }
    }
  }

  @Test
  void validatesVariants() {
    assertThatThrownBy(() -> PromptExperiment.builder("x", "p").variant("a", 1, null, 60)
        .variant("b", 2, null, 30).build())
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("add up to 90.0");
    assertThatThrownBy(() -> PromptExperiment.builder("x", "p").variant("a", 1, null, 100).build())
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("at least two variants");
    assertThatThrownBy(() -> PromptExperiment.builder("x", "p").variant("a", 1, null, 50)
        .variant("a", 2, null, 50)).hasMessageContaining("lists variant 'a' twice");
    assertThatThrownBy(() -> new PromptExperiment.Variant("a", 1, null, 33.333))
        .hasMessageContaining("two decimals");
    assertThatThrownBy(() -> new PromptExperiment.Variant("a", 1, null, 0)).hasMessageContaining("percent");
    assertThatThrownBy(() -> new PromptExperiment.Variant("a", 0, null, 50)).hasMessageContaining("version");
    assertThatThrownBy(() -> new PromptExperiment.Variant("a", 1, " ", 50)).hasMessageContaining("modelGroup");
  }

  @Test
  void theRegistryChecksExperimentsAgainstItsPrompts() {
    PromptExperiment onUnknown = PromptExperiment.builder("x", "translate")
        .variant("a", null, null, 50).variant("b", null, "m", 50).build();
    assertThatThrownBy(() -> registry(onUnknown)).isInstanceOf(PromptDefinitionException.class)
        .hasMessageContaining("splits prompt 'translate', which does not exist");
    PromptExperiment onMissingVersion = PromptExperiment.builder("x", "summarize")
        .variant("a", 1, null, 50).variant("b", 9, null, 50).build();
    assertThatThrownBy(() -> registry(onMissingVersion))
        .hasMessageContaining("variant 'b' asks for summarize@9, which does not exist");
    PromptExperiment second = PromptExperiment.builder("second", "summarize")
        .variant("a", 1, null, 50).variant("b", 2, null, 50).build();
    assertThatThrownBy(() -> PromptRegistry.builder().add(version(1, "m")).add(version(2, "m"))
        .experiment(byVersion()).experiment(second).build())
        .hasMessageContaining("already has experiment 'summarize-v2-trial'");
    Prompt other = Prompt.builder("other", 1).modelGroup("m").user("x").build();
    PromptExperiment sameName = PromptExperiment.builder("summarize-v2-trial", "other")
        .variant("a", null, null, 50).variant("b", null, "n", 50).build();
    assertThatThrownBy(() -> PromptRegistry.builder().add(version(1, "m")).add(version(2, "m")).add(other)
        .experiment(byVersion()).experiment(sameName).build())
        .hasMessageContaining("experiment name 'summarize-v2-trial' is already used");
  }

  @Test
  void experimentsCanBeDeclaredInYaml(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("summarize.yaml"), """
        name: summarize
        versions:
          - {version: 1, model: chat-fast, current: true, messages: [{user: "v1 {{text}}"}]}
          - {version: 2, model: chat-fast, messages: [{user: "v2 {{text}}"}]}
        experiment:
          name: summarize-v2-by-team
          stickyKey: tag:team
          variants:
            - {name: control, version: 1, percent: 50}
            - {name: v2-smart, version: 2, model: chat-smart, percent: 50}
        """);
    PromptRegistry registry = PromptRegistry.builder().loadDirectory(dir).build();
    PromptExperiment experiment = registry.experiment("summarize");
    assertThat(experiment.name()).isEqualTo("summarize-v2-by-team");
    assertThat(experiment.variants()).containsExactly(
        new PromptExperiment.Variant("control", 1, null, 50),
        new PromptExperiment.Variant("v2-smart", 2, "chat-smart", 50));
    assertThat(registry.experiments()).containsOnlyKeys("summarize");
    for (int t = 0; t < 20; t++) {
      String team = "team-" + t;
      String variant = registry.select("summarize", new RequestMetadata(null, "a", null, Map.of("team", team)))
          .variant();
      assertThat(registry.select("summarize", new RequestMetadata(null, "b", null, Map.of("team", team)))
          .variant()).isEqualTo(variant);
      assertThat(variant).isEqualTo(experiment.variantFor(team).name());
    }
  }

  @Test
  void yamlExperimentErrorsNameFileAndField(@TempDir Path dir) throws IOException {
    String base = "name: s\nversions:\n  - {version: 1, model: m, messages: [{user: hi}]}\n";
    Path file = dir.resolve("s.yaml");
    Files.writeString(file, base + "experiment:\n  name: x\n  stickyKey: session\n  variants: []\n");
    assertThatThrownBy(() -> PromptRegistry.builder().loadDirectory(dir).build())
        .hasMessageContaining("s.yaml: experiment.stickyKey: must be user, tenant, application or tag:<key>");
    Files.writeString(file, base + "experiment:\n  name: x\n  variants:\n    - {name: a, percent: 60}\n"
        + "    - {name: b, model: n, percent: 30}\n");
    assertThatThrownBy(() -> PromptRegistry.builder().loadDirectory(dir).build())
        .hasMessageContaining("s.yaml: experiment.variants: experiment 'x' percentages must add up to 100");
    Files.writeString(file, base + "experiment:\n  name: x\n  variants:\n    - {name: a, percent: 50, weight: 1}\n");
    assertThatThrownBy(() -> PromptRegistry.builder().loadDirectory(dir).build())
        .hasMessageContaining("s.yaml: experiment.variants[0].weight: unknown field");
    Files.writeString(file, base + "experiment:\n  name: x\n  variants:\n    - {name: a, percent: 50}\n"
        + "    - {name: b, version: 4, percent: 50}\n");
    assertThatThrownBy(() -> PromptRegistry.builder().loadDirectory(dir).build())
        .hasMessageContaining("s.yaml: experiment: variant 'b' asks for s@4, which does not exist");
  }
}
