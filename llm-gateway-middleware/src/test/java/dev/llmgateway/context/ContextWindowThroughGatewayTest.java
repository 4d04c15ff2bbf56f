package dev.llmgateway.context;

import static dev.llmgateway.context.Conversations.CATALOG;
import static dev.llmgateway.context.Conversations.request;
import static dev.llmgateway.context.Conversations.small;
import static dev.llmgateway.context.Conversations.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.Message;
import dev.llmgateway.context.ContextWindowReport.Outcome;
import dev.llmgateway.error.ContextLengthExceededException;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.ModelGroup;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The interceptor in a real gateway, added with {@code addInterceptor}, in front of a fake provider. */
class ContextWindowThroughGatewayTest {
  private final FakeModel provider = new FakeModel()
      .answering(r -> FakeModel.isSummaryCall(r) ? "SUMMARY" : "answer");

  /** 1,100 tokens by {@link Conversations#CHARS}: system 100 and five turns of 200. */
  private static ChatRequest oversized() {
    return request("fake/small", List.of(Message.system(text('s', 99)), Message.user(text('a', 199)),
        Message.assistant(text('b', 199)), Message.user(text('c', 199)), Message.assistant(text('d', 199)),
        Message.user(text('e', 199))));
  }

  private LlmGateway gateway(ContextWindowInterceptor interceptor) {
    return LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .modelCatalog(CATALOG).addInterceptor(interceptor).build();
  }

  @Test
  void blockingAndStreamingCallsReachTheProviderTrimmed() {
    ChatRequest request = oversized();
    try (LlmGateway gateway = gateway(small().policy(ContextWindowPolicy.DROP_OLDEST).build())) {
      assertThat(gateway.chat(request).text()).isEqualTo("answer");
      assertThat(gateway.stream(request).collect().text()).isEqualTo("answer");
    }

    List<Message> expected = List.of(request.messages().get(0), request.messages().get(3),
        request.messages().get(4), request.messages().get(5));
    assertThat(provider.received).hasSize(2).allSatisfy(r -> assertThat(r.messages()).isEqualTo(expected));
    assertThat(provider.contexts).allSatisfy(c -> assertThat(c.get(ContextWindowInterceptor.REPORT))
        .isEqualTo(new ContextWindowReport("fake/small", Outcome.DROPPED_OLDEST, 1_000, 1_000L, 1_100, 700,
            2)));
  }

  @Test
  void aRefusalReachesTheCallerAndNothingIsSent() {
    try (LlmGateway gateway = gateway(small().build())) {
      catchThrowableOfType(ContextLengthExceededException.class, () -> gateway.chat(oversized()));
      catchThrowableOfType(ContextLengthExceededException.class, () -> gateway.stream(oversized()));
    }

    assertThat(provider.received).isEmpty();
  }

  @Test
  void summariesThroughThePipelineReachTheSameProvider() {
    try (LlmGateway gateway = gateway(small().policy(ContextWindowPolicy.SUMMARIZE).summaryMaxTokens(100)
        .build())) {
      assertThat(gateway.chat(oversized()).text()).isEqualTo("answer");
    }

    assertThat(provider.received).hasSize(2);
    assertThat(FakeModel.isSummaryCall(provider.received.get(0))).isTrue();
    assertThat(provider.received.get(1).messages().get(1).text()).endsWith("SUMMARY");
  }

  @Test
  void summariesThroughTheGatewayItselfPassTheInterceptorAsTheirOwnCall() {
    AtomicReference<LlmGateway> self = new AtomicReference<>();
    ContextWindowInterceptor interceptor = small().policy(ContextWindowPolicy.SUMMARIZE)
        .summaryMaxTokens(100).summaryClient(self::get).build();
    try (LlmGateway gateway = gateway(interceptor)) {
      self.set(gateway);
      assertThat(gateway.stream(oversized()).collect().text()).isEqualTo("answer");
    }

    assertThat(provider.received).hasSize(2);
    assertThat(FakeModel.isSummaryCall(provider.received.get(0))).isTrue();
    assertThat(provider.contexts.get(0).get(ContextWindowInterceptor.REPORT)).isNull();
    assertThat(provider.contexts.get(1).get(ContextWindowInterceptor.REPORT).summarized()).isTrue();
    assertThat(provider.contexts.get(0).callId()).isNotEqualTo(provider.contexts.get(1).callId());
  }

  @Test
  void theBuildersContextWindowKnowsTheGatewaysAliasesAndGroups() {
    ModelGroup group = ModelGroup.builder("grouped").deployment(Deployment.of("d1", "fake/small")).build();
    try (LlmGateway gateway = LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .modelCatalog(CATALOG).alias("chat", "fake/small").modelGroup(group)
        .contextWindow(windows -> windows.tokenCounter(Conversations.CHARS).safetyMargin(0).outputReserve(0)
            .policy(ContextWindowPolicy.DROP_OLDEST))
        .build()) {
      ChatRequest viaAlias = oversized().toBuilder().model("chat").build();
      ChatRequest viaGroup = oversized().toBuilder().model("grouped").build();

      assertThat(gateway.chat(viaAlias).text()).isEqualTo("answer");
      assertThat(gateway.chat(viaGroup).text()).isEqualTo("answer");
    }

    assertThat(provider.received).hasSize(2).allSatisfy(r -> assertThat(r.messages()).hasSize(4));
    assertThat(provider.contexts).extracting(c -> c.get(ContextWindowInterceptor.REPORT).outcome())
        .containsExactly(Outcome.DROPPED_OLDEST, Outcome.DROPPED_OLDEST);
  }

  @Test
  void withoutTheBuildersAliasTheWindowOfAnAliasIsUnknown() {
    try (LlmGateway gateway = LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .modelCatalog(CATALOG).alias("chat", "fake/small")
        .addInterceptor(small().policy(ContextWindowPolicy.DROP_OLDEST).build())
        .build()) {
      assertThat(gateway.chat(oversized().toBuilder().model("chat").build()).text()).isEqualTo("answer");
    }

    assertThat(provider.received).singleElement().satisfies(r -> assertThat(r.messages()).hasSize(6));
    assertThat(provider.contexts.get(0).get(ContextWindowInterceptor.REPORT).outcome())
        .isEqualTo(Outcome.UNKNOWN_MODEL);
  }
}
