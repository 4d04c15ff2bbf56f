package dev.llmgateway.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.RequestMetadata;
import dev.llmgateway.Role;
import dev.llmgateway.Usage;
import dev.llmgateway.catalog.ModelCapabilities;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.catalog.ModelInfo;
import dev.llmgateway.catalog.ModelPricing;
import dev.llmgateway.cost.CallPricer;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.ledger.AccountingInterceptor;
import dev.llmgateway.ledger.Dimension;
import dev.llmgateway.ledger.InMemoryUsageLedger;
import dev.llmgateway.ledger.UsageQuery;
import dev.llmgateway.ledger.UsageTotals;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.tokens.TokenCounter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Prompts through a real {@link LlmGateway}, with the accounting interceptor writing a ledger. */
class PromptClientTest {
  static final Usage SMALL = Usage.of(100, 50);
  static final Usage LARGE = Usage.of(300, 100);
  static final ModelCatalog CATALOG = ModelCatalog.builder()
      .add(ModelInfo.of("test", "small", 100_000, null, ModelCapabilities.ALL, ModelPricing.usd(
          new BigDecimal("1.00"), new BigDecimal("2.00"), LocalDate.parse("2025-06-01"), "test")))
      .add(ModelInfo.of("test", "large", 100_000, null, ModelCapabilities.ALL, ModelPricing.usd(
          new BigDecimal("10.00"), new BigDecimal("20.00"), LocalDate.parse("2025-06-01"), "test")))
      .build();

  /** Answers "answer"; {@code large} uses more tokens than {@code small}. */
  static final class TestProvider implements ChatProvider {
    final List<ChatRequest> requests = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "test";
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext context) {
      requests.add(request);
      return ChatResponse.builder().id("r" + requests.size()).model(request.model()).provider("test")
          .message(Message.assistant("answer")).finishReason(FinishReason.STOP)
          .usage(request.model().equals("large") ? LARGE : SMALL).build();
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext context) {
      ChatResponse r = chat(request, context);
      List<ChatChunk> chunks = List.of(new ChatChunk.Start(r.id(), r.model(), "test", null),
          new ChatChunk.TextDelta("answer"), new ChatChunk.Finish(FinishReason.STOP, "stop"),
          new ChatChunk.UsageUpdate(r.usage()));
      return new ChatStream() {
        int next;

        @Override
        public ChatChunk next() {
          return next < chunks.size() ? chunks.get(next++) : null;
        }

        @Override
        public void close() {}
      };
    }
  }

  final TestProvider provider = new TestProvider();
  final InMemoryUsageLedger ledger = InMemoryUsageLedger.create();
  final LlmGateway gateway = LlmGateway.builder().discoverProviders(false).logging(false)
      .provider(provider).modelCatalog(CATALOG)
      .addInterceptor(AccountingInterceptor.builder(ledger)
          .pricer(CallPricer.builder().modelCatalog(CATALOG).tokenCounter(TokenCounter.estimating()).build())
          .build())
      .build();

  final PromptExperiment trial = PromptExperiment.builder("summarize-v2-large", "summarize")
      .variant("control", 1, null, 50)
      .variant("v2-large", 2, "test/large", 50)
      .build();
  final PromptRegistry registry = PromptRegistry.builder()
      .add(Prompt.builder("summarize", 1).modelGroup("test/small").user("Summarize: {{text}}").build())
      .add(Prompt.builder("summarize", 2).modelGroup("test/small")
          .parameters(PromptParameters.builder().temperature(0.0).build())
          .system("Summarize in one line.").user("{{text}}").build())
      .current("summarize@1")
      .experiment(trial)
      .build();
  final PromptClient prompts = PromptClient.of(gateway, registry);

  @AfterEach
  void close() {
    gateway.close();
  }

  static RequestMetadata user(String user) {
    return new RequestMetadata("acme", user, "search-ui", Map.of("feature", "search"));
  }

  @Test
  void sendsTheRenderedPromptAndReturnsTheAnswerWithWhatProducedIt() {
    String alice = "alice";
    PromptResponse response = prompts.chat("summarize", Map.of("text", "A long text."), user(alice));
    assertThat(response.text()).isEqualTo("answer");
    String expected = trial.variantFor(alice).name();
    assertThat(response.variant()).isEqualTo(expected);
    assertThat(response.selection().assignment().experiment()).isEqualTo("summarize-v2-large");

    ChatRequest sent = provider.requests.get(0);
    if (expected.equals("control")) {
      assertThat(sent.model()).isEqualTo("small");
      assertThat(sent.messages()).extracting(Message::text).containsExactly("Summarize: A long text.");
    } else {
      assertThat(sent.model()).isEqualTo("large");
      assertThat(sent.temperature()).isEqualTo(0.0);
      assertThat(sent.messages()).extracting(Message::role).containsExactly(Role.SYSTEM, Role.USER);
    }
    assertThat(sent.metadata().user()).isEqualTo(alice);
    assertThat(sent.metadata().tags()).containsEntry("prompt", response.selection().ref())
        .containsEntry("prompt.variant", expected).containsEntry("feature", "search");
  }

  @Test
  void theLedgerComparesTheVariantsByCallsTokensAndCost() {
    Map<String, Long> expectedCalls = new java.util.TreeMap<>();
    for (int i = 0; i < 40; i++) {
      String user = "user-" + i;
      PromptResponse r = prompts.chat("summarize", Map.of("text", "doc " + i), user(user));
      assertThat(r.variant()).isEqualTo(trial.variantFor(user).name());
      expectedCalls.merge(r.variant(), 1L, Long::sum);
    }
    prompts.chat("summarize@1", Map.of("text", "pinned"), user("user-0")); // outside the experiment

    List<UsageTotals> byVariant = ledger.query(UsageQuery.builder(Instant.EPOCH,
        Instant.now().plus(1, ChronoUnit.DAYS)).groupBy(Dimension.tag("prompt.variant")).build());
    Map<String, UsageTotals> totals = byVariant.stream().collect(Collectors.toMap(
        t -> String.valueOf(t.group(Dimension.tag("prompt.variant"))), Function.identity()));
    assertThat(totals).containsOnlyKeys("control", "v2-large", "null");
    long control = expectedCalls.get("control");
    long large = expectedCalls.get("v2-large");
    assertThat(totals.get("control").calls()).isEqualTo(control);
    assertThat(totals.get("control").inputTokens()).isEqualTo(control * SMALL.inputTokens());
    // 100 input at $1/M + 50 output at $2/M = $0.0002 a call
    assertThat(totals.get("control").cost("USD")).isEqualByComparingTo(
        new BigDecimal("0.0002").multiply(BigDecimal.valueOf(control)));
    assertThat(totals.get("v2-large").calls()).isEqualTo(large);
    assertThat(totals.get("v2-large").outputTokens()).isEqualTo(large * LARGE.outputTokens());
    // 300 input at $10/M + 100 output at $20/M = $0.005 a call
    assertThat(totals.get("v2-large").cost("USD")).isEqualByComparingTo(
        new BigDecimal("0.005").multiply(BigDecimal.valueOf(large)));
    assertThat(totals.get("null").calls()).isEqualTo(1);

    List<UsageTotals> byVersion = ledger.query(UsageQuery.builder(Instant.EPOCH,
        Instant.now().plus(1, ChronoUnit.DAYS)).groupBy(Dimension.tag("prompt")).build());
    assertThat(byVersion).extracting(t -> t.group(Dimension.tag("prompt")))
        .containsExactlyInAnyOrder("summarize@1", "summarize@2");
  }

  @Test
  void aPinnedVersionIsSentAsAsked() {
    PromptResponse response = prompts.chat("summarize@2", Map.of("text", "t"), user("bob"));
    assertThat(response.variant()).isNull();
    assertThat(response.selection().ref()).isEqualTo("summarize@2");
    assertThat(provider.requests.get(0).model()).isEqualTo("small");
  }

  @Test
  void aMissingVariableSendsNothing() {
    assertThatThrownBy(() -> prompts.chat("summarize", Map.of("txt", "typo"), user("alice")))
        .isInstanceOf(MissingVariableException.class).hasMessageContaining("text");
    assertThat(provider.requests).isEmpty();
    assertThat(ledger.size()).isZero();
  }

  @Test
  void anUnknownPromptSendsNothing() {
    assertThatThrownBy(() -> prompts.chat("translate", Map.of(), user("alice")))
        .isInstanceOf(UnknownPromptException.class);
    assertThat(provider.requests).isEmpty();
  }

  @Test
  void chatsAsynchronously() {
    PromptResponse response = prompts.chatAsync("summarize", Map.of("text", "t"), user("carol"),
        CallOptions.DEFAULT).join();
    assertThat(response.variant()).isEqualTo(trial.variantFor("carol").name());
    assertThat(prompts.client()).isSameAs(gateway);
    assertThat(prompts.registry()).isSameAs(registry);
  }

  @Test
  void aSelectionStreamsThroughTheSameGateway() {
    RequestMetadata metadata = user("dave");
    PromptSelection selection = registry.select("summarize", metadata);
    ChatResponse response = gateway.stream(selection.toRequest(Map.of("text", "t"), metadata)).collect();
    assertThat(response.message().text()).isEqualTo("answer");
    assertThat(ledger.records()).singleElement()
        .satisfies(r -> assertThat(r.tags()).containsEntry("prompt.variant", selection.variant()));
  }

  @Test
  void streamsAPromptAndSaysWhichVersionAndVariantWereSent() {
    String erin = "erin";
    String expected = trial.variantFor(erin).name();
    ChatResponse response;
    String variant;
    try (PromptStream stream = prompts.stream("summarize", Map.of("text", "streamed"), user(erin))) {
      variant = stream.variant();
      response = stream.collect();
    }

    assertThat(variant).isEqualTo(expected);
    assertThat(response.text()).isEqualTo("answer");
    assertThat(provider.requests).singleElement().satisfies(sent -> assertThat(sent.metadata().tags())
        .containsEntry("prompt.variant", expected).containsEntry("prompt.experiment", "summarize-v2-large"));
    assertThat(ledger.records()).singleElement()
        .satisfies(r -> assertThat(r.tags()).containsEntry("prompt.variant", expected));
  }

  @Test
  void aStreamWithAMissingVariableSendsNothing() {
    assertThatThrownBy(() -> prompts.stream("summarize", Map.of("txt", "typo"), user("alice")))
        .isInstanceOf(MissingVariableException.class).hasMessageContaining("text");
    assertThat(provider.requests).isEmpty();
  }
}
