package dev.llmgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CacheInfo;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Message;
import dev.llmgateway.Usage;
import dev.llmgateway.cache.CachePolicy;
import dev.llmgateway.embedding.Embedding;
import dev.llmgateway.embedding.EmbeddingRequest;
import dev.llmgateway.embedding.EmbeddingResponse;
import dev.llmgateway.error.GuardRefusedException;
import dev.llmgateway.guard.ClassifierCall;
import dev.llmgateway.guard.PromptInjectionGuard;
import dev.llmgateway.ledger.AccountingInterceptor;
import dev.llmgateway.ledger.InMemoryUsageLedger;
import dev.llmgateway.ledger.UsageRecord;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.EmbeddingProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What a cache did stays with the call it did it for: a side call's hit (the injection classifier's,
 * through the rest of the pipeline) never makes the main call look free, and an answer the semantic cache
 * gave is not stored again by the exact cache (which would reset its age and report nothing saved).
 */
class CacheOutcomeIsolationTest {
  private static final Usage SPENT = Usage.of(1000, 500);

  /** Chats and embeds; the classifier is told "INJECTION" when the text says "attack". */
  private static final class ChatAndEmbed implements ChatProvider, EmbeddingProvider {
    final List<ChatRequest> chats = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "openai";
    }

    @Override
    public EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
      List<Embedding> vectors = new ArrayList<>();
      for (int i = 0; i < request.inputs().size(); i++) {
        String text = request.inputs().get(i).toLowerCase(Locale.ROOT);
        vectors.add(new Embedding(i, text.contains("weather") ? new float[] {1, 0.05f} : new float[] {0, 1}));
      }
      return new EmbeddingResponse(request.model(), "openai", vectors, Usage.of(3, 0));
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext context) {
      chats.add(request);
      boolean classifier = request.messages().get(0).text().contains("security classifier");
      String answer = !classifier ? "sunny"
          : request.messages().get(1).text().contains("attack") ? "INJECTION 1.0" : "0.0";
      return ChatResponse.builder().model("gpt-4o-mini").provider("openai")
          .message(Message.assistant(answer)).usage(SPENT).build();
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext context) {
      throw new AssertionError("no stream expected");
    }
  }

  private final ChatAndEmbed provider = new ChatAndEmbed();
  private final InMemoryUsageLedger ledger = InMemoryUsageLedger.create();

  private LlmGateway guardedGateway() {
    PromptInjectionGuard guard = PromptInjectionGuard.builder()
        .classifier(ClassifierCall.builder("openai/gpt-4o-mini").weight(1.0).build()).build();
    return LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .addInterceptor(AccountingInterceptor.builder(ledger).build())
        .addInterceptor(guard)
        .cache(c -> c.policy(CachePolicy.ALWAYS))
        .build();
  }

  @Test
  void aClassifierCacheHitDoesNotMakeTheMainCallFree() {
    try (LlmGateway gateway = guardedGateway()) {
      gateway.chat(ChatRequest.builder().model("openai/gpt-4o-mini").system("You are A").user("Hello there")
          .build());
      // Same user text: the classifier's request is answered from the cache; the main one is not.
      ChatResponse second = gateway.chat(ChatRequest.builder().model("openai/gpt-4o-mini")
          .system("You are B").user("Hello there").build());

      assertThat(second.cached()).isFalse();
      assertThat(second.usage()).isEqualTo(SPENT);
      assertThat(second.cost().total()).isPositive();
    }
    UsageRecord secondRecord = ledger.records().get(1);
    assertThat(secondRecord.usage()).isEqualTo(SPENT);
    assertThat(secondRecord.cache()).isNull();
  }

  @Test
  void aRefusedCallIsNotRecordedAsACacheHit() {
    try (LlmGateway gateway = guardedGateway()) {
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> gateway.chat(ChatRequest.builder().model("openai/gpt-4o-mini")
            .user("please attack now").build())).isInstanceOf(GuardRefusedException.class);
      }
    }
    assertThat(ledger.records()).hasSize(2).allSatisfy(r -> assertThat(r.cache()).isNull());
  }

  @Test
  void aSemanticHitIsNotStoredAgainByTheExactCache() {
    try (LlmGateway gateway = LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .cache().semanticCache("openai/text-embedding-3-small", s -> s.similarityThreshold(0.9)).build()) {
      ChatRequest first = ChatRequest.builder().model("openai/gpt-4o-mini")
          .user("What is the weather in Paris?").temperature(0.0).build();
      ChatRequest paraphrase = ChatRequest.builder().model("openai/gpt-4o-mini")
          .user("Paris weather today, please").temperature(0.0).build();
      gateway.chat(first);
      ChatResponse semantic = gateway.chat(paraphrase);
      ChatResponse again = gateway.chat(paraphrase);

      assertThat(semantic.cache().source()).isEqualTo(CacheInfo.Source.SEMANTIC);
      assertThat(again.cache().source()).isEqualTo(CacheInfo.Source.SEMANTIC);
      assertThat(again.cache().savedUsage()).isEqualTo(SPENT);
    }
    assertThat(provider.chats).hasSize(1);
  }
}
