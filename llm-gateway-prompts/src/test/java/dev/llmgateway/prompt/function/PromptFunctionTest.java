package dev.llmgateway.prompt.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.FinishReason;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.OutputValidationException;
import dev.llmgateway.prompt.MissingVariableException;
import dev.llmgateway.prompt.Prompt;
import dev.llmgateway.prompt.PromptClient;
import dev.llmgateway.prompt.PromptExperiment;
import dev.llmgateway.prompt.PromptRegistry;
import dev.llmgateway.prompt.PromptSelection;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class PromptFunctionTest {
  enum Label { POSITIVE, NEGATIVE, NEUTRAL }

  record Review(String text, @Nullable String product) {}

  record Sentiment(Label label, double confidence) {}

  record Invoice(String number, LocalDate date, Optional<String> currency, @Nullable String note,
      List<Line> lines) {}

  record Line(String item, int quantity) {}

  private static final Prompt SENTIMENT = Prompt.builder("sentiment", 1)
      .modelGroup("chat-fast")
      .description("Classifies the sentiment of a review")
      .system("Classify the sentiment of the review. Answer in JSON.")
      .user("{{text}}")
      .build();

  private static final Prompt SENTIMENT_V2 = Prompt.builder("sentiment", 2)
      .modelGroup("chat-fast")
      .system("You classify reviews.")
      .user("Review: {{text}}")
      .build();

  private static final Prompt INVOICE = Prompt.builder("invoice", 1)
      .modelGroup("openai/gpt-4o-mini")
      .user("Extract the invoice: {{document}}")
      .build();

  private final ScriptedChatClient client = new ScriptedChatClient();
  private final PromptRegistry registry = PromptRegistry.builder().add(SENTIMENT).add(INVOICE).build();

  private PromptFunction<Review, Sentiment> sentiment() {
    return PromptFunction.builder("sentiment", Review.class, Sentiment.class)
        .client(client).registry(registry).build();
  }

  @Test
  void buildsWithTheDocumentedDefaults() {
    PromptFunction<Review, Sentiment> function = sentiment();

    assertThat(function.name()).as("the prompt's name").isEqualTo("sentiment");
    assertThat(function.promptRef()).isEqualTo("sentiment");
    assertThat(function.description()).as("the prompt's description")
        .isEqualTo("Classifies the sentiment of a review");
    assertThat(function.modelGroup()).isEqualTo(PromptFunction.DEFAULT_MODEL_GROUP).isNull();
    assertThat(function.strict()).isEqualTo(PromptFunction.DEFAULT_STRICT).isTrue();
    assertThat(function.metadata()).isEqualTo(PromptFunction.DEFAULT_METADATA)
        .isEqualTo(RequestMetadata.EMPTY);
    assertThat(function.callOptions()).isEqualTo(PromptFunction.DEFAULT_CALL_OPTIONS)
        .isEqualTo(CallOptions.DEFAULT);
    assertThat(function.stripCodeFence()).isEqualTo(PromptFunction.DEFAULT_STRIP_CODE_FENCE).isTrue();
    assertThat(function.objectMapper().getRegisteredModuleIds()).as("a newObjectMapper()")
        .isEqualTo(PromptFunction.newObjectMapper().getRegisteredModuleIds());
    assertThat(function.inputType()).isEqualTo(Review.class);
    assertThat(function.outputType()).isEqualTo(Sentiment.class);
  }

  @Test
  void parsesTheAnswerIntoTheRecordAndKeepsWhatProducedIt() {
    client.answer("{\"label\":\"POSITIVE\",\"confidence\":0.93}");

    FunctionResult<Sentiment> result = sentiment().call(new Review("Great value", null));

    assertThat(result.value()).isEqualTo(new Sentiment(Label.POSITIVE, 0.93));
    assertThat(result.usage().inputTokens()).isEqualTo(12);
    assertThat(result.response().requestId()).isEqualTo("req_1");
    assertThat(result.promptRef()).isEqualTo("sentiment@1");
    assertThat(result.variant()).isNull();
    assertThat(result.attempts()).isEmpty();
    assertThat(result.cost()).isNull();
  }

  @Test
  void sendsTheRenderedPromptWithTheOutputSchemaAsResponseFormat() {
    client.answer("{\"label\":\"NEGATIVE\",\"confidence\":0.8}");

    Sentiment value = sentiment().apply(new Review("Broke after a day", "kettle"));

    assertThat(value.label()).isEqualTo(Label.NEGATIVE);
    ChatRequest sent = client.lastRequest();
    assertThat(sent.model()).isEqualTo("chat-fast");
    assertThat(sent.messages().get(1).text()).isEqualTo("Broke after a day");
    ResponseFormat format = sent.responseFormat();
    assertThat(format.type()).isEqualTo(ResponseFormat.Type.JSON_SCHEMA);
    assertThat(format.schemaName()).isEqualTo("sentiment");
    assertThat(format.strict()).isTrue();
    assertThat(format.schema()).isEqualTo(RecordSchema.of(Sentiment.class).json());
    assertThat(sent.metadata().tags())
        .containsEntry(PromptFunction.TAG_FUNCTION, "sentiment")
        .containsEntry(PromptSelection.TAG_PROMPT, "sentiment@1");
  }

  @Test
  void aModelGroupOverridesThePromptsAndAPinnedVersionIsSent() {
    PromptRegistry both = PromptRegistry.builder().add(SENTIMENT).add(SENTIMENT_V2).build();
    PromptFunction<Review, Sentiment> function =
        PromptFunction.builder("sentiment@1", Review.class, Sentiment.class)
            .client(client).registry(both).name("sentiment.v1").modelGroup("chat-smart").build();
    client.answer("{\"label\":\"NEUTRAL\",\"confidence\":0.5}");

    FunctionResult<Sentiment> result = function.call(new Review("It is a kettle", null));

    assertThat(client.lastRequest().model()).isEqualTo("chat-smart");
    assertThat(result.promptRef()).isEqualTo("sentiment@1");
    assertThat(function.responseFormat().schemaName()).as("OpenAI allows no dots in a schema name")
        .isEqualTo("sentiment_v1");
  }

  @Test
  void recordsTheExperimentVariantAndLetsItsModelGroupWin() {
    PromptRegistry withTrial = PromptRegistry.builder().add(SENTIMENT).add(SENTIMENT_V2)
        .experiment(PromptExperiment.builder("sentiment-trial", "sentiment")
            .variant("control", 1, null, 50)
            .variant("smart", 2, "chat-smart", 50)
            .build())
        .build();
    PromptFunction<Review, Sentiment> function = PromptFunction
        .builder("sentiment", Review.class, Sentiment.class)
        .promptClient(PromptClient.of(client, withTrial))
        .modelGroup("chat-override")
        .build();

    for (int i = 0; i < 20; i++) {
      client.answer("{\"label\":\"POSITIVE\",\"confidence\":1}");
      FunctionResult<Sentiment> result =
          function.call(new Review("ok", null), RequestMetadata.EMPTY.withUser("user-" + i));

      ChatRequest sent = client.lastRequest();
      assertThat(result.variant()).isIn("control", "smart")
          .isEqualTo(sent.metadata().tags().get(PromptSelection.TAG_VARIANT));
      assertThat(sent.model()).isEqualTo(result.variant().equals("smart") ? "chat-smart" : "chat-override");
      assertThat(result.promptRef()).isEqualTo(result.variant().equals("smart") ? "sentiment@2" : "sentiment@1");
    }
    assertThat(client.requests).extracting(ChatRequest::model).contains("chat-smart", "chat-override");
  }

  @Test
  void mergesTheCallsMetadataOverTheFunctionsAndPassesCallOptions() {
    PromptFunction<Review, Sentiment> function = PromptFunction
        .builder("sentiment", Review.class, Sentiment.class)
        .client(client).registry(registry)
        .metadata(new RequestMetadata("default-tenant", null, "reviews-app", Map.of("team", "growth")))
        .callOptions(CallOptions.withTimeout(Duration.ofSeconds(30)))
        .build();
    client.answer("{\"label\":\"POSITIVE\",\"confidence\":1}");
    client.answer("{\"label\":\"POSITIVE\",\"confidence\":1}");

    function.call(new Review("fine", null), new RequestMetadata("acme", "u-1", null, Map.of("k", "v")));
    function.call(new Review("fine", null), RequestMetadata.EMPTY, CallOptions.withTimeout(Duration.ofSeconds(5)));

    RequestMetadata first = client.requests.get(0).metadata();
    assertThat(first.tenant()).isEqualTo("acme");
    assertThat(first.user()).isEqualTo("u-1");
    assertThat(first.application()).isEqualTo("reviews-app");
    assertThat(first.tags()).containsEntry("team", "growth").containsEntry("k", "v")
        .containsEntry("function", "sentiment");
    assertThat(client.requests.get(1).metadata().tenant()).isEqualTo("default-tenant");
    assertThat(client.options.get(0).timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(client.options.get(1).timeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void readsNestedListsDatesOptionalsAndNulls() {
    PromptFunction<Map<String, Object>, Invoice> invoice = PromptFunction.builder("invoice", Invoice.class)
        .client(client).registry(registry).build();
    client.answer("{\"number\":\"INV-7\",\"date\":\"2024-05-31\",\"currency\":null,\"note\":null,"
        + "\"lines\":[{\"item\":\"tea\",\"quantity\":2}]}");
    client.answer("{\"number\":\"INV-8\",\"date\":\"2024-06-01\",\"currency\":\"EUR\",\"note\":\"paid\","
        + "\"lines\":[]}");

    Invoice first = invoice.apply(Map.of("document", "..."));
    Invoice second = invoice.apply(Map.of("document", "..."));

    assertThat(first).isEqualTo(new Invoice("INV-7", LocalDate.of(2024, 5, 31), Optional.empty(), null,
        List.of(new Line("tea", 2))));
    assertThat(second.currency()).contains("EUR");
    assertThat(second.note()).isEqualTo("paid");
    assertThat(invoice.writeOutput(first).toString()).isEqualTo("{\"number\":\"INV-7\",\"date\":"
        + "\"2024-05-31\",\"currency\":null,\"note\":null,\"lines\":[{\"item\":\"tea\",\"quantity\":2}]}");
  }

  @Test
  void stripsOneCodeFenceAroundTheAnswer() {
    client.answer("```json\n{\"label\":\"POSITIVE\",\"confidence\":0.7}\n```");

    assertThat(sentiment().apply(new Review("nice", null)).confidence()).isEqualTo(0.7);
  }

  @Test
  void anAnswerThatIsNotJsonFailsNamingTheFunctionButNotTheText() {
    String answer = "I think this review is POSITIVE, secret-answer-text";
    client.answer(answer);

    OutputValidationException e = catchThrowableOfType(OutputValidationException.class,
        () -> sentiment().apply(new Review("nice", null)));

    assertThat(e.getMessage()).contains("prompt function 'sentiment'", "sentiment@1", "Sentiment",
        "/: the answer is not a JSON document at line 1, column").doesNotContain("secret-answer-text");
    assertThat(e.rawText()).isEqualTo(answer);
    assertThat(e.provider()).isEqualTo("openai");
    assertThat(e.requestId()).isEqualTo("req_1");
    assertThat(e.isRetryable()).isFalse();
  }

  @Test
  void anAnswerViolatingTheSchemaFailsNamingTheField() {
    client.answer("{\"label\":\"MAYBE\",\"confidence\":\"high\"}");

    OutputValidationException e = catchThrowableOfType(OutputValidationException.class,
        () -> sentiment().apply(new Review("meh", null)));

    assertThat(e.errors()).containsExactly("/label: expected one of POSITIVE, NEGATIVE, NEUTRAL",
        "/confidence: expected a number, found a string");
    assertThat(e.getMessage()).contains("2 errors, first: /label: expected one of POSITIVE")
        .doesNotContain("MAYBE", "high");
  }

  @Test
  void aCutOffAnswerARefusalAndAnEmptyAnswerFail() {
    client.answer(ScriptedChatClient.response("{\"label\":\"POSI").finishReason(FinishReason.LENGTH).build());
    client.answer(ScriptedChatClient.response("").refusal("I cannot help with that").build());
    client.answer("   ");
    PromptFunction<Review, Sentiment> function = sentiment();

    assertThatThrownBy(() -> function.apply(new Review("x", null)))
        .isInstanceOf(OutputValidationException.class)
        .hasMessageContaining("cut off at the output token limit");
    assertThatThrownBy(() -> function.apply(new Review("x", null)))
        .isInstanceOf(OutputValidationException.class)
        .hasMessageContaining("the model refused to answer")
        .hasMessageNotContaining("cannot help");
    assertThatThrownBy(() -> function.apply(new Review("x", null)))
        .isInstanceOf(OutputValidationException.class)
        .hasMessageContaining("the answer has no text");
  }

  @Test
  void trailingTextAfterTheJsonIsAnError() {
    client.answer("{\"label\":\"POSITIVE\",\"confidence\":1} and more");

    assertThatThrownBy(() -> sentiment().apply(new Review("x", null)))
        .isInstanceOf(OutputValidationException.class)
        .hasMessageContaining("not a JSON document");
  }

  @Test
  void aMapInputMissingAVariableFailsBeforeAnyCall() {
    PromptFunction<Map<String, Object>, Sentiment> function = PromptFunction
        .builder("sentiment", Sentiment.class).client(client).registry(registry).build();

    assertThatThrownBy(() -> function.apply(Map.of("txt", "typo")))
        .isInstanceOfSatisfying(InputValidationException.class,
            e -> assertThat(e.errors()).containsExactly("/text: required property is missing"));
    assertThat(client.requests).isEmpty();
    assertThat(function.inputSchema().toString()).isEqualTo(
        "{\"type\":\"object\",\"properties\":{\"text\":{}},\"required\":[\"text\"]}");
  }

  @Test
  void readsAndChecksJsonInput() throws Exception {
    PromptFunction<Review, Sentiment> function = sentiment();
    ObjectMapper json = new ObjectMapper();

    assertThat(function.readInput(json.readTree("{\"text\":\"hi\"}"))).isEqualTo(new Review("hi", null));
    InputValidationException e = catchThrowableOfType(InputValidationException.class,
        () -> function.readInput(json.readTree("{\"txt\":\"hi\",\"product\":3}")));
    assertThat(e.function()).isEqualTo("sentiment");
    assertThat(e.errors()).containsExactly("/text: required property is missing",
        "/product: expected a string, found an integer", "/txt: unknown property");
    JsonNode schema = function.inputSchema();
    assertThat(schema.get("required").toString()).as("nullable input fields may be left out")
        .isEqualTo("[\"text\"]");
  }

  @Test
  void refusesAtBuildAnUnknownPromptAnInputWithoutItsVariablesAndAStrictMap() {
    record NoText(String body) {}
    record Counts(Map<String, Integer> counts) {}

    assertThatThrownBy(() -> PromptFunction.builder("nope", Review.class, Sentiment.class)
        .client(client).registry(registry).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("'nope'");
    assertThatThrownBy(() -> PromptFunction.builder("sentiment", NoText.class, Sentiment.class)
        .client(client).registry(registry).build())
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("[text]").hasMessageContaining("NoText");
    assertThatThrownBy(() -> PromptFunction.builder("sentiment", Review.class, Counts.class)
        .client(client).registry(registry).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("Counts.counts");
    assertThat(PromptFunction.builder("sentiment", Review.class, Counts.class)
        .client(client).registry(registry).strict(false).build().responseFormat().strict()).isFalse();
    assertThatThrownBy(() -> PromptFunction.builder("sentiment", Review.class, Sentiment.class)
        .registry(registry).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("client");
    assertThatThrownBy(() -> PromptFunction.builder("sentiment", Review.class, Sentiment.class)
        .client(client).registry(registry).name("has space").build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("has space");
  }

  record Text(String text) {}

  record Item(String x) {}

  record Items(List<Item> items) {}

  record Noted(String text, @Nullable String note) {}

  record OptionallyNoted(String text, Optional<String> note) {}

  record Nick(@Nullable String nick, String name) {}

  record WithUser(Nick user) {}

  record WithAttributes(Map<String, String> attributes) {}

  private static final Prompt P1 = Prompt.builder("p", 1).modelGroup("g").user("{{text}}").build();
  private static final Prompt P2 = Prompt.builder("p", 2).modelGroup("g").user("{{text}} in {{language}}")
      .build();

  private static PromptRegistry trial(PromptExperiment experiment) {
    return PromptRegistry.builder().add(P1).add(P2).current("p@1").experiment(experiment).build();
  }

  /** A user whom {@code experiment} assigns {@code variant}. */
  private static String userIn(PromptExperiment experiment, String variant) {
    for (int i = 0; ; i++) {
      if (experiment.variantFor("user-" + i).name().equals(variant)) {
        return "user-" + i;
      }
    }
  }

  @Test
  void refusesAtBuildAnInputRecordLackingAVariableOfAnExperimentVariantsVersion() {
    PromptExperiment experiment = PromptExperiment.builder("x", "p")
        .variant("a", 1, null, 50).variant("b", 2, null, 50).build();
    PromptRegistry withTrial = trial(experiment);

    assertThatThrownBy(() -> PromptFunction.builder("p", Text.class, Sentiment.class)
        .client(client).registry(withTrial).build())
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("p@2 (experiment 'x' variant 'b')")
        .hasMessageContaining("uses variable [language] that the input record Text does not have");
    // a pinned version is outside the experiment: only that version is checked
    assertThat(PromptFunction.builder("p@1", Text.class, Sentiment.class)
        .client(client).registry(withTrial).build().promptRef()).isEqualTo("p@1");
  }

  @Test
  void aMapInputMustSupplyTheVariablesOfEveryVersionAnExperimentMaySelect() throws Exception {
    PromptExperiment experiment = PromptExperiment.builder("x", "p")
        .variant("a", 1, null, 50).variant("b", 2, null, 50).build();
    PromptFunction<Map<String, Object>, Sentiment> function = PromptFunction.builder("p", Sentiment.class)
        .client(client).registry(trial(experiment)).build();

    assertThat(function.inputSchema().get("required").toString()).isEqualTo("[\"language\",\"text\"]");
    for (String variant : List.of("a", "b")) {
      RequestMetadata user = RequestMetadata.EMPTY.withUser(userIn(experiment, variant));
      assertThatThrownBy(() -> function.call(Map.of("text", "hi"), user))
          .as("variant " + variant)
          .isInstanceOfSatisfying(InputValidationException.class,
              e -> assertThat(e.errors()).containsExactly("/language: required property is missing"));
    }
    assertThatThrownBy(() -> function.readInput(new ObjectMapper().readTree("{\"text\":\"hi\"}")))
        .isInstanceOf(InputValidationException.class).hasMessageContaining("/language");
    assertThat(client.requests).isEmpty();

    client.answer("{\"label\":\"POSITIVE\",\"confidence\":1}");
    function.call(Map.of("text", "hi", "language", "French"),
        RequestMetadata.EMPTY.withUser(userIn(experiment, "b")));
    assertThat(client.lastRequest().messages().get(0).text()).isEqualTo("hi in French");
  }

  @Test
  void aVariantsModelGroupWinsOverTheBuildersEvenWhenItIsThePromptsOwn() {
    Prompt other = Prompt.builder("p", 2).modelGroup("g").user("v2 {{text}}").build();
    PromptExperiment experiment = PromptExperiment.builder("y", "p")
        .variant("same", 1, "g", 34)           // names the prompt's own group
        .variant("smart", 2, "g-smart", 33)
        .variant("plain", 2, null, 33)         // names none: the builder's override applies
        .build();
    PromptRegistry registry = PromptRegistry.builder().add(P1).add(other).current("p@1")
        .experiment(experiment).build();
    PromptFunction<Text, Sentiment> function = PromptFunction.builder("p", Text.class, Sentiment.class)
        .client(client).registry(registry).modelGroup("override").build();

    Map<String, String> sent = new java.util.LinkedHashMap<>();
    for (String variant : List.of("same", "smart", "plain")) {
      client.answer("{\"label\":\"POSITIVE\",\"confidence\":1}");
      FunctionResult<Sentiment> result =
          function.call(new Text("hi"), RequestMetadata.EMPTY.withUser(userIn(experiment, variant)));
      assertThat(result.variant()).isEqualTo(variant);
      sent.put(variant, client.lastRequest().model());
    }

    assertThat(sent).containsExactly(Map.entry("same", "g"), Map.entry("smart", "g-smart"),
        Map.entry("plain", "override"));
  }

  @Test
  void aValidRecordInputThePromptCannotRenderIsTheFunctionsDefectNotTheCallers() {
    Prompt inSection = Prompt.builder("items", 1).modelGroup("g")
        .user("{{#items}}{{x}} in {{language}}\n{{/items}}").build();
    PromptRegistry registry = PromptRegistry.builder().add(inSection).build();
    PromptFunction<Items, Sentiment> function = PromptFunction.builder("items", Items.class, Sentiment.class)
        .client(client).registry(registry).build();

    LlmConfigurationException e = catchThrowableOfType(LlmConfigurationException.class,
        () -> function.call(new Items(List.of(new Item("secret-value")))));

    assertThat(e.getMessage()).contains("prompt function 'items'", "items@1", "[language]", "Items")
        .doesNotContain("secret-value");
    assertThat(e.getCause()).isInstanceOf(MissingVariableException.class);
    assertThat(client.requests).isEmpty();

    // the same prompt with a map input: the caller chose the values, so it is the caller's error
    PromptFunction<Map<String, Object>, Sentiment> byMap = PromptFunction.builder("items", Sentiment.class)
        .client(client).registry(registry).build();
    assertThatThrownBy(() -> byMap.call(Map.of("items", List.of(Map.of("x", "a")))))
        .isInstanceOfSatisfying(MissingVariableException.class,
            m -> assertThat(m.variables()).containsExactly("language"));
  }

  @Test
  void aRecordInputWithANullRequiredComponentIsTheCallersError() {
    InputValidationException e = catchThrowableOfType(InputValidationException.class,
        () -> sentiment().call(new Review(null, "kettle")));

    assertThat(e.errors()).containsExactly("/text: must not be null");
    assertThat(e).isInstanceOf(dev.llmgateway.error.InvalidRequestException.class);
    assertThat(client.requests).isEmpty();
  }

  @Test
  void refusesAtBuildANullableComponentUsedAsATopLevelValue() {
    PromptRegistry registry = PromptRegistry.builder()
        .add(Prompt.builder("noted", 1).modelGroup("g").user("{{text}} / {{note}}").build())
        .add(Prompt.builder("nick", 1).modelGroup("g").user("{{user.name}} aka {{user.nick}}").build())
        .add(Prompt.builder("typo", 1).modelGroup("g").user("{{user.nmae}}").build())
        .add(Prompt.builder("attrs", 1).modelGroup("g").user("{{attributes.color}}").build())
        .build();

    assertThatThrownBy(() -> PromptFunction.builder("noted", Noted.class, Sentiment.class)
        .client(client).registry(registry).build())
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("noted@1 (the current version) uses {{note}} as a value, but Noted.note may "
            + "be null");
    assertThatThrownBy(() -> PromptFunction.builder("noted", OptionallyNoted.class, Sentiment.class)
        .client(client).registry(registry).build())
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("OptionallyNoted.note may be null");
    assertThatThrownBy(() -> PromptFunction.builder("nick", WithUser.class, Sentiment.class)
        .client(client).registry(registry).build())
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("uses {{user.nick}} as a value, but WithUser.user.nick may be null");
    assertThatThrownBy(() -> PromptFunction.builder("typo", WithUser.class, Sentiment.class)
        .client(client).registry(registry).build())
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("uses {{user.nmae}}, but Nick has no component 'nmae'");
    assertThat(PromptFunction.builder("attrs", WithAttributes.class, Sentiment.class)
        .client(client).registry(registry).build().name())
        .as("a map's keys are not known: not checked").isEqualTo("attrs");
  }

  @Test
  void aNullableComponentInsideASectionOverItRendersWhenPresentAndIsLeftOutWhenNull() {
    PromptRegistry registry = PromptRegistry.builder()
        .add(Prompt.builder("noted", 1).modelGroup("g")
            .user("{{text}}{{#note}} (note: {{note}}){{/note}}").build())
        .build();
    PromptFunction<Noted, Sentiment> nullable = PromptFunction.builder("noted", Noted.class, Sentiment.class)
        .client(client).registry(registry).build();
    PromptFunction<OptionallyNoted, Sentiment> optional = PromptFunction
        .builder("noted", OptionallyNoted.class, Sentiment.class).client(client).registry(registry).build();
    for (int i = 0; i < 4; i++) {
      client.answer("{\"label\":\"POSITIVE\",\"confidence\":1}");
    }

    nullable.call(new Noted("a", null));
    nullable.call(new Noted("b", "n"));
    optional.call(new OptionallyNoted("c", Optional.empty()));
    optional.call(new OptionallyNoted("d", Optional.of("m")));

    assertThat(client.requests).extracting(r -> r.messages().get(0).text())
        .containsExactly("a", "b (note: n)", "c", "d (note: m)");
  }
}
