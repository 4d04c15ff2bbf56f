package dev.llmgateway.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptTest {

  static Prompt summarize(int version) {
    return Prompt.builder("summarize", version)
        .modelGroup("chat-fast")
        .parameters(PromptParameters.builder().temperature(0.2).maxOutputTokens(300).build())
        .owner("search-team")
        .description("Summaries for search results")
        .system("You summarize documents in {{language}}.")
        .user("{{text}}")
        .build();
  }

  @Test
  void rendersIntoARequestForItsModelGroupWithItsParameters() {
    ChatRequest request = summarize(3).toRequest(Map.of("language", "French", "text", "Le document."));
    assertThat(request.model()).isEqualTo("chat-fast");
    assertThat(request.temperature()).isEqualTo(0.2);
    assertThat(request.maxTokens()).isEqualTo(300);
    assertThat(request.topP()).isNull();
    assertThat(request.messages()).hasSize(2);
    assertThat(request.messages().get(0).role()).isEqualTo(Role.SYSTEM);
    assertThat(request.messages().get(0).text()).isEqualTo("You summarize documents in French.");
    assertThat(request.messages().get(1).role()).isEqualTo(Role.USER);
    assertThat(request.messages().get(1).text()).isEqualTo("Le document.");
    assertThat(request.metadata().tags()).containsExactly(Map.entry("prompt", "summarize@3"));
  }

  @Test
  void keepsTheCallersMetadataAndAddsThePromptTag() {
    RequestMetadata metadata = new RequestMetadata("acme", "alice", "search-ui", Map.of("feature", "s"));
    ChatRequest request = summarize(3).toRequest(Map.of("language", "en", "text", "t"), metadata);
    assertThat(request.metadata().tenant()).isEqualTo("acme");
    assertThat(request.metadata().user()).isEqualTo("alice");
    assertThat(request.metadata().tags()).containsOnly(Map.entry("feature", "s"),
        Map.entry("prompt", "summarize@3"));
  }

  @Test
  void namesEveryMissingVariableOfEveryMessageAndTheVersion() {
    assertThatThrownBy(() -> summarize(3).toRequest(Map.of()))
        .isInstanceOfSatisfying(MissingVariableException.class, e -> {
          assertThat(e.variables()).containsExactlyInAnyOrder("language", "text");
          assertThat(e.template()).isEqualTo("summarize@3");
        });
  }

  @Test
  void hasARefAndItsVariables() {
    Prompt p = summarize(3);
    assertThat(p.ref()).isEqualTo("summarize@3");
    assertThat(p.variables()).containsExactly("language", "text");
    assertThat(p.messages().get(0).template().name()).isEqualTo("summarize@3 messages[0]");
  }

  @Test
  void theContentHashIsStableAndCoversTextParametersModelAndPartials() {
    Prompt base = summarize(3);
    assertThat(base.contentHash()).matches("[0-9a-f]{64}").isEqualTo(summarize(3).contentHash());
    // owner, description and version are not content
    assertThat(base.toBuilder().owner("other").description(null).build().contentHash())
        .isEqualTo(base.contentHash());
    assertThat(base.toBuilder().build()).isEqualTo(base);
    assertThat(summarize(4).contentHash()).isEqualTo(base.contentHash());
    // the model, the parameters and the text are
    assertThat(base.toBuilder().modelGroup("chat-smart").build().contentHash())
        .isNotEqualTo(base.contentHash());
    assertThat(base.toBuilder().parameters(PromptParameters.NONE).build().contentHash())
        .isNotEqualTo(base.contentHash());
    assertThat(base.toBuilder().assistant("Sure.").build().contentHash())
        .isNotEqualTo(base.contentHash());
    // and so is the text of an included partial
    Prompt withPartial = Prompt.builder("p", 1).modelGroup("m").partial("tone", "Be brief.")
        .system("{{> tone}}").build();
    Prompt otherPartial = Prompt.builder("p", 1).modelGroup("m").partial("tone", "Be verbose.")
        .system("{{> tone}}").build();
    assertThat(withPartial.contentHash()).isNotEqualTo(otherPartial.contentHash());
  }

  @Test
  void toBuilderKeepsPartialsSoTheNextVersionCompiles() {
    Prompt v1 = Prompt.builder("p", 1).modelGroup("m").partial("tone", "Be brief.").system("{{> tone}}")
        .build();
    Prompt v2 = v1.toBuilder().build();
    assertThat(v2.toRequest(Map.of()).messages().get(0).text()).isEqualTo("Be brief.");
  }

  @Test
  void rejectsAContentHashThatDoesNotMatch() {
    Prompt p = summarize(3);
    assertThatThrownBy(() -> new Prompt(p.name(), p.version(), p.modelGroup(), p.parameters(), p.owner(),
        p.description(), p.messages(), "0".repeat(64)))
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("contentHash");
  }

  @Test
  void validatesItsFields() {
    assertThatThrownBy(() -> Prompt.builder("bad name", 1))
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> Prompt.builder("a@b", 1)).isInstanceOf(PromptDefinitionException.class);
    assertThatThrownBy(() -> Prompt.builder("p", 0))
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("version");
    assertThatThrownBy(() -> Prompt.builder("p", 1).user("x").build())
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("modelGroup");
    assertThatThrownBy(() -> Prompt.builder("p", 1).modelGroup("m").build())
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("messages");
    assertThatThrownBy(() -> Prompt.builder("p", 1).modelGroup("m").owner(" ").user("x").build())
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("owner");
    assertThatThrownBy(() -> new PromptMessage(Role.TOOL, PromptTemplate.compile("t", "x")))
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("role");
  }

  @Test
  void describesItselfWithoutItsText() {
    assertThat(summarize(3).toString()).contains("summarize@3", "chat-fast", "search-team")
        .doesNotContain("You summarize");
  }

  @Test
  void defaultsToNoParametersAndNoOwner() {
    Prompt p = Prompt.builder("p", 1).modelGroup("m").user("x").build();
    assertThat(Prompt.DEFAULT_PARAMETERS).isEqualTo(PromptParameters.NONE);
    assertThat(p.parameters()).isEqualTo(Prompt.DEFAULT_PARAMETERS);
    assertThat(p.owner()).isNull();
    assertThat(p.description()).isNull();
  }

  @Test
  void parametersDefaultToTheProvidersAndApplyOnlyWhatIsSet() {
    PromptParameters none = PromptParameters.builder().build();
    assertThat(none).isEqualTo(PromptParameters.NONE);
    assertThat(none.temperature()).isNull();
    assertThat(none.topP()).isNull();
    assertThat(none.maxOutputTokens()).isNull();
    assertThat(none.seed()).isNull();
    assertThat(none.frequencyPenalty()).isNull();
    assertThat(none.presencePenalty()).isNull();
    assertThat(none.stop()).isEmpty();
    assertThat(new PromptParameters(0.5, 0.9, 10, 7L))
        .isEqualTo(PromptParameters.builder().temperature(0.5).topP(0.9).maxOutputTokens(10).seed(7L).build());

    PromptParameters all = PromptParameters.builder().temperature(0.1).topP(0.5).maxOutputTokens(5)
        .seed(3L).frequencyPenalty(0.2).presencePenalty(-0.2).stop(List.of("END")).build();
    ChatRequest request = all.applyTo(ChatRequest.builder().model("m").user("x")).build();
    assertThat(request.temperature()).isEqualTo(0.1);
    assertThat(request.topP()).isEqualTo(0.5);
    assertThat(request.maxTokens()).isEqualTo(5);
    assertThat(request.seed()).isEqualTo(3L);
    assertThat(request.frequencyPenalty()).isEqualTo(0.2);
    assertThat(request.presencePenalty()).isEqualTo(-0.2);
    assertThat(request.stop()).containsExactly("END");
    assertThat(all.toBuilder().build()).isEqualTo(all);
  }

  @Test
  void parametersAreValidated() {
    assertThatThrownBy(() -> PromptParameters.builder().temperature(-1.0).build())
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("parameters.temperature");
    assertThatThrownBy(() -> PromptParameters.builder().topP(0.0).build())
        .hasMessageContaining("parameters.topP");
    assertThatThrownBy(() -> PromptParameters.builder().maxOutputTokens(0).build())
        .hasMessageContaining("parameters.maxOutputTokens");
    assertThatThrownBy(() -> PromptParameters.builder().presencePenalty(3.0).build())
        .hasMessageContaining("parameters.presencePenalty");
    assertThatThrownBy(() -> PromptParameters.builder().stop(List.of("")).build())
        .hasMessageContaining("parameters.stop[0]");
  }
}
