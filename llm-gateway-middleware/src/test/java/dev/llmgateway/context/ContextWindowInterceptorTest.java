package dev.llmgateway.context;

import static dev.llmgateway.context.Conversations.CATALOG;
import static dev.llmgateway.context.Conversations.CHARS;
import static dev.llmgateway.context.Conversations.request;
import static dev.llmgateway.context.Conversations.small;
import static dev.llmgateway.context.Conversations.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.Message;
import dev.llmgateway.context.ContextWindowReport.Outcome;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.ModelGroup;
import dev.llmgateway.routing.RouterInterceptor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The check, the limit, the window sources, and the REFUSE and DROP_OLDEST policies. */
class ContextWindowInterceptorTest {
  private static final String SECRET = "the launch code is 7-7-4-1";

  private final FakeModel model = new FakeModel();
  private final CallContext context = CallContext.standalone(false);

  /**
   * 1,050 tokens by {@link Conversations#CHARS}: system 100, four turns of 200, the last user turn 150
   * (holding {@link #SECRET}).
   */
  private static List<Message> overLimit() {
    String last = SECRET + text('q', 149 - SECRET.length());
    return List.of(Message.system(text('s', 99)), Message.user(text('a', 199)),
        Message.assistant(text('b', 199)), Message.user(text('c', 199)), Message.assistant(text('d', 199)),
        Message.user(last));
  }

  private ChatRequest send(ContextWindowInterceptor interceptor, ChatRequest request) {
    interceptor.intercept(request, model.chain(context));
    assertThat(model.received).hasSize(1);
    return model.received.get(0);
  }

  private ContextWindowReport report() {
    ContextWindowReport report = context.get(ContextWindowInterceptor.REPORT);
    assertThat(report).isNotNull();
    return report;
  }

  @Test
  void builtInterceptorHasTheDocumentedDefaults() {
    ContextWindowInterceptor i = ContextWindowInterceptor.builder().build();
    assertThat(i.policy()).isEqualTo(ContextWindowInterceptor.DEFAULT_POLICY)
        .isEqualTo(ContextWindowPolicy.REFUSE);
    assertThat(i.keepLastTurns()).isEqualTo(ContextWindowInterceptor.DEFAULT_KEEP_LAST_TURNS).isEqualTo(2);
    assertThat(i.startOnUserTurn()).isEqualTo(ContextWindowInterceptor.DEFAULT_START_ON_USER_TURN).isTrue();
    assertThat(i.outputReserve()).isEqualTo(ContextWindowInterceptor.DEFAULT_OUTPUT_RESERVE).isEqualTo(4096);
    assertThat(i.safetyMargin()).isEqualTo(ContextWindowInterceptor.DEFAULT_SAFETY_MARGIN).isEqualTo(0.05);
    assertThat(i.modelCatalog()).isSameAs(ContextWindowInterceptor.DEFAULT_MODEL_CATALOG)
        .isSameAs(dev.llmgateway.catalog.ModelCatalog.bundled());
    assertThat(i.tokenCounter().toString()).startsWith("TokenCounter.standard()");
    assertThat(i.aliases()).isEmpty();
    assertThat(i.contextWindows()).isEmpty();
    assertThat(i.modelGroups()).isEmpty();
    assertThat(i.unknownModel()).isEqualTo(ContextWindowInterceptor.DEFAULT_UNKNOWN_MODEL)
        .isEqualTo(UnknownModelPolicy.PASS_THROUGH);
    assertThat(i.summaryModel()).isEqualTo(ContextWindowInterceptor.DEFAULT_SUMMARY_MODEL).isNull();
    assertThat(i.summaryPrompt()).isEqualTo(ContextWindowInterceptor.DEFAULT_SUMMARY_PROMPT);
    assertThat(i.summaryPrefix()).isEqualTo(ContextWindowInterceptor.DEFAULT_SUMMARY_PREFIX);
    assertThat(i.summaryMaxTokens()).isEqualTo(ContextWindowInterceptor.DEFAULT_SUMMARY_MAX_TOKENS)
        .isEqualTo(1024);
    assertThat(i.usesSummaryClient()).isFalse();
  }

  @Test
  void builderRejectsSettingsOutOfRange() {
    assertThat(catchThrowableOfType(LlmConfigurationException.class,
        () -> ContextWindowInterceptor.builder().keepLastTurns(0))).hasMessageContaining("keepLastTurns");
    assertThat(catchThrowableOfType(LlmConfigurationException.class,
        () -> ContextWindowInterceptor.builder().safetyMargin(0.9))).hasMessageContaining("safetyMargin");
    assertThat(catchThrowableOfType(LlmConfigurationException.class,
        () -> ContextWindowInterceptor.builder().outputReserve(-1))).hasMessageContaining("outputReserve");
    assertThat(catchThrowableOfType(LlmConfigurationException.class,
        () -> ContextWindowInterceptor.builder().contextWindow("m", 0))).hasMessageContaining("'m'");
  }

  @Test
  void aConversationThatFitsIsSentUnchanged() {
    ChatRequest request = request("fake/small", overLimit().subList(0, 5));

    assertThat(send(small().policy(ContextWindowPolicy.DROP_OLDEST).build(), request)).isSameAs(request);

    assertThat(report()).isEqualTo(new ContextWindowReport("fake/small", Outcome.FITS, 1_000, 1_000L,
        900, 900, 0));
    assertThat(report().changed()).isFalse();
  }

  @Test
  void refusePolicyFailsBeforeSendingAndNamesModelCountsAndLimitButNoPromptText() {
    ContextLengthExceededException e = catchThrowableOfType(ContextLengthExceededException.class,
        () -> small().build().intercept(request("fake/small", overLimit()), model.chain(context)));

    assertThat(model.received).isEmpty();
    assertThat(e.getMessage()).contains("'fake/small'", "1050", "1000", "REFUSE")
        .doesNotContain("launch", "7-7-4-1", "qqq", "sss");
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.provider()).isEqualTo("fake");
    assertThat(e.model()).isEqualTo("small");
    assertThat(report()).isEqualTo(new ContextWindowReport("fake/small", Outcome.REFUSED, 1_000, 1_000L,
        1_050, 1_050, 0));
  }

  @Test
  void dropOldestDropsWholeExchangesUntilItFitsKeepingSystemAndLastTurns() {
    List<Message> messages = overLimit();

    ChatRequest sent = send(small().policy(ContextWindowPolicy.DROP_OLDEST).build(),
        request("fake/small", messages));

    // Dropping the first user turn alone would fit, but the conversation would then open with the
    // assistant; the first cut at a user turn drops the first exchange.
    assertThat(sent.messages()).containsExactly(messages.get(0), messages.get(3), messages.get(4),
        messages.get(5));
    assertThat(report()).isEqualTo(new ContextWindowReport("fake/small", Outcome.DROPPED_OLDEST, 1_000,
        1_000L, 1_050, 650, 2));
    assertThat(report().changed()).isTrue();
    assertThat(report().summarized()).isFalse();
  }

  @Test
  void withoutStartingOnAUserTurnAsFewTurnsAsPossibleAreDropped() {
    List<Message> messages = overLimit();

    ChatRequest sent = send(small().policy(ContextWindowPolicy.DROP_OLDEST).startOnUserTurn(false).build(),
        request("fake/small", messages));

    assertThat(sent.messages()).containsExactly(messages.get(0), messages.get(2), messages.get(3),
        messages.get(4), messages.get(5));
    assertThat(report().droppedMessages()).isEqualTo(1);
    assertThat(report().finalTokens()).isEqualTo(850);
  }

  @Test
  void dropOldestRefusesWhenSystemAndLastTurnsAloneDoNotFit() {
    List<Message> messages = List.of(Message.system(text('s', 99)), Message.user(text('a', 199)),
        Message.assistant(text('b', 299)), Message.user(SECRET + text('q', 699 - SECRET.length())));

    ContextLengthExceededException e = catchThrowableOfType(ContextLengthExceededException.class,
        () -> small().policy(ContextWindowPolicy.DROP_OLDEST).build()
            .intercept(request("fake/small", messages), model.chain(context)));

    assertThat(model.received).isEmpty();
    assertThat(e.getMessage()).contains("1300", "1000", "last 2 turns", "1100").doesNotContain("launch");
    assertThat(report()).isEqualTo(new ContextWindowReport("fake/small", Outcome.REFUSED, 1_000, 1_000L,
        1_300, 1_100, 1));
  }

  @Test
  void keepLastTurnsProtectsMoreTurns() {
    List<Message> messages = overLimit();

    catchThrowableOfType(ContextLengthExceededException.class,
        () -> small().policy(ContextWindowPolicy.DROP_OLDEST).keepLastTurns(5).build()
            .intercept(request("fake/small", messages), model.chain(context)));
    ChatRequest sent = send(small().policy(ContextWindowPolicy.DROP_OLDEST).keepLastTurns(4).build(),
        request("fake/small", messages));

    assertThat(sent.messages()).containsExactly(messages.get(0), messages.get(2), messages.get(3),
        messages.get(4), messages.get(5));
  }

  @Test
  void theRequestsMaxTokensIsReservedForOutput() {
    ChatRequest request = request("fake/small", overLimit().subList(0, 5)).toBuilder().maxTokens(150).build();

    send(small().policy(ContextWindowPolicy.DROP_OLDEST).build(), request);

    assertThat(report().inputLimit()).isEqualTo(850);
    assertThat(report().outcome()).isEqualTo(Outcome.DROPPED_OLDEST);
  }

  @Test
  void withoutMaxTokensTheReserveIsCappedAtTheModelsOutputLimitAndTheMarginIsAShareOfTheWindow() {
    ContextWindowInterceptor defaults = ContextWindowInterceptor.builder().modelCatalog(CATALOG)
        .tokenCounter(CHARS).build();

    defaults.intercept(request("fake/small", List.of(Message.user("hi"))), model.chain(context));
    // 1000 - min(4096, 200) - ceil(1000 x 0.05)
    assertThat(report().inputLimit()).isEqualTo(750);

    defaults.intercept(request("fake/large", List.of(Message.user("hi"))), model.chain(context));
    // 100000 - 4096 (no output limit known) - 5000
    assertThat(report().inputLimit()).isEqualTo(90_904);
  }

  @Test
  void aReserveLargerThanTheWindowLeavesNoRoomAndRefuses() {
    ChatRequest request = request("fake/small", List.of(Message.user("hi"))).toBuilder().maxTokens(5_000)
        .build();

    catchThrowableOfType(ContextLengthExceededException.class,
        () -> small().build().intercept(request, model.chain(context)));

    assertThat(report().inputLimit()).isZero();
  }

  @Test
  void anExplicitWindowWinsOverTheCatalog() {
    small().contextWindow("fake/small", 2_000).build()
        .intercept(request("fake/small", overLimit()), model.chain(context));

    assertThat(report().contextWindow()).isEqualTo(2_000);
    assertThat(report().outcome()).isEqualTo(Outcome.FITS);
  }

  @Test
  void aLookupFunctionAnswersForNamesTheBuilderDoesNotList() {
    ContextWindowInterceptor i = small().contextWindow("a", 10)
        .contextWindowLookup(name -> name.startsWith("local/") ? 4_096 : null).build();

    i.intercept(request("local/llama", List.of(Message.user("hi"))), model.chain(context));
    assertThat(report().contextWindow()).isEqualTo(4_096);

    i.intercept(request("fake/small", List.of(Message.user("hi"))), model.chain(context));
    assertThat(report().contextWindow()).isEqualTo(1_000);
  }

  @Test
  void aliasesAndBareNamesResolveThroughTheCatalog() {
    ContextWindowInterceptor i = small().alias("chat", "fake/small").build();

    i.intercept(request("chat", List.of(Message.user("hi"))), model.chain(context));
    assertThat(report().contextWindow()).isEqualTo(1_000);

    i.intercept(request("large", List.of(Message.user("hi"))), model.chain(context));
    assertThat(report().contextWindow()).isEqualTo(100_000);
  }

  @Test
  void aModelGroupHasTheSmallestKnownWindowOfItsDeployments() {
    ModelGroup group = ModelGroup.builder("fast")
        .deployment(Deployment.of("big", "fake/large"))
        .deployment(Deployment.of("small", "fake/small"))
        .deployment(Deployment.of("unknown", "other/model"))
        .build();
    ModelGroup tight = ModelGroup.builder("tight")
        .deployment(Deployment.of("big", "fake/large"))
        .deployment(Deployment.builder("own", "other/model").contextWindow(300).build())
        .build();
    ContextWindowInterceptor i = small().modelGroup(group).modelGroup(tight).build();

    i.intercept(request("fast", List.of(Message.user("hi"))), model.chain(context));
    assertThat(report().contextWindow()).isEqualTo(1_000);

    i.intercept(request("tight", List.of(Message.user("hi"))), model.chain(context));
    assertThat(report().contextWindow()).isEqualTo(300);
  }

  @Test
  void afterTheRouterTheChosenDeploymentsOwnWindowApplies() {
    context.put(RouterInterceptor.DEPLOYMENT,
        Deployment.builder("eu", "fake/large").contextWindow(700).build());

    small().build().intercept(request("fake/large", List.of(Message.user("hi"))), model.chain(context));
    assertThat(report().contextWindow()).isEqualTo(700);

    // A deployment chosen for another model is not this request's.
    small().build().intercept(request("fake/small", List.of(Message.user("hi"))), model.chain(context));
    assertThat(report().contextWindow()).isEqualTo(1_000);
  }

  @Test
  void aDeploymentsCatalogModelGivesItsWindow() {
    context.put(RouterInterceptor.DEPLOYMENT,
        Deployment.builder("azure", "azure/my-deployment").catalogModel("fake/small").build());

    small().build().intercept(request("azure/my-deployment", List.of(Message.user("hi"))),
        model.chain(context));

    assertThat(report().contextWindow()).isEqualTo(1_000);
  }

  @Test
  void anUnknownModelPassesUnchangedByDefault() {
    ChatRequest request = request("other/model", overLimit());

    assertThat(send(small().policy(ContextWindowPolicy.DROP_OLDEST).build(), request)).isSameAs(request);

    assertThat(report()).isEqualTo(new ContextWindowReport("other/model", Outcome.UNKNOWN_MODEL, null,
        null, 1_050, 1_050, 0));
  }

  @Test
  void anUnknownModelIsRefusedWhenConfigured() {
    LlmConfigurationException e = catchThrowableOfType(LlmConfigurationException.class,
        () -> small().unknownModel(UnknownModelPolicy.REFUSE).build()
            .intercept(request("other/model", overLimit()), model.chain(context)));

    assertThat(model.received).isEmpty();
    assertThat(e.getMessage()).contains("'other/model'", "no known context window").doesNotContain("launch");
    assertThat(report().outcome()).isEqualTo(Outcome.REFUSED);
  }

  @Test
  void streamsAreTrimmedBeforeTheyOpenAndTheirChunksPassUntouched() {
    CallContext streaming = CallContext.standalone(true);
    List<Message> messages = overLimit();

    String answer = small().policy(ContextWindowPolicy.DROP_OLDEST).build()
        .interceptStream(request("fake/small", messages), model.streamChain(streaming)).collect().text();

    assertThat(answer).isEqualTo("ok");
    assertThat(model.received).hasSize(1);
    assertThat(model.received.get(0).messages()).containsExactly(messages.get(0), messages.get(3),
        messages.get(4), messages.get(5));
    assertThat(streaming.get(ContextWindowInterceptor.REPORT).outcome()).isEqualTo(Outcome.DROPPED_OLDEST);
  }

  @Test
  void streamsAreRefusedLikeBlockingCalls() {
    CallContext streaming = CallContext.standalone(true);

    catchThrowableOfType(ContextLengthExceededException.class, () -> small().build()
        .interceptStream(request("fake/small", overLimit()), model.streamChain(streaming)));

    assertThat(model.received).isEmpty();
  }

  @Test
  void systemMessagesAnywhereAreKept() {
    List<Message> messages = List.of(Message.system(text('s', 49)), Message.user(text('a', 199)),
        Message.system(text('t', 49)), Message.assistant(text('b', 199)), Message.user(text('c', 199)),
        Message.assistant(text('d', 199)), Message.user(text('e', 199)));

    ChatRequest sent = send(small().policy(ContextWindowPolicy.DROP_OLDEST).build(),
        request("fake/small", messages));

    assertThat(sent.messages()).containsExactly(messages.get(0), messages.get(2), messages.get(4),
        messages.get(5), messages.get(6));
    assertThat(report().droppedMessages()).isEqualTo(2);
  }
}
