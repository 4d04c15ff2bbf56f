package dev.llmgateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.Usage;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.routing.Deployment;
import dev.llmgateway.routing.ModelGroup;
import dev.llmgateway.routing.RouterInterceptor;
import dev.llmgateway.spi.ChatProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An answer from a fallback group is stored under the group that answered, never the one asked. */
class CacheFallbackTest {
  /** Answers "from MODEL"; fails every call to {@code primary-model} while {@code primaryDown}. */
  static final class FakeProvider implements ChatProvider {
    final List<String> models = new CopyOnWriteArrayList<>();
    volatile boolean primaryDown = true;

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext context) {
      models.add(request.model());
      if (primaryDown && request.model().equals("primary-model")) {
        throw new ProviderUnavailableException("primary is down");
      }
      return ChatResponse.builder().model(request.model()).provider("fake")
          .message(Message.assistant("from " + request.model())).finishReason(FinishReason.STOP)
          .usage(Usage.of(5, 5)).build();
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext context) {
      return ChatStream.of(Upstream.chunks(chat(request, context)));
    }
  }

  private final FakeProvider provider = new FakeProvider();
  private final InMemoryCacheStore store = InMemoryCacheStore.create();
  private final RouterInterceptor router = RouterInterceptor.builder().modelCatalog(ModelCatalog.empty())
      .group(ModelGroup.builder("primary").deployment(Deployment.of("p1", "fake/primary-model"))
          .fallbacks("backup").build())
      .group(ModelGroup.builder("backup").deployment(Deployment.of("b1", "fake/backup-model")).build())
      .build();
  private final CacheInterceptor cache = CacheInterceptor.builder().store(store).router(router).build();
  private final LlmGateway gateway = LlmGateway.builder().discoverProviders(false).logging(false)
      .provider(provider).addInterceptor(cache).addInterceptor(router).build();

  @AfterEach
  void close() {
    gateway.close();
  }

  private static ChatRequest ask(String group) {
    return ChatRequest.builder().model(group).user("What is a fox?").temperature(0.0).build();
  }

  private void assertStoredUnderBackupOnly() {
    assertThat(store.get(cache.keyFor(ask("primary"), "primary"))).as("primary's entry").isNull();
    CacheEntry entry = store.get(cache.keyFor(ask("primary"), "backup"));
    assertThat(entry).as("backup's entry").isNotNull();
    assertThat(entry.group()).isEqualTo("backup");
    assertThat(entry.response().text()).isEqualTo("from backup-model");
  }

  @Test
  void aFallbackAnswerIsStoredUnderTheAnsweringGroup() {
    assertThat(gateway.chat(ask("primary")).text()).isEqualTo("from backup-model");
    assertStoredUnderBackupOnly();

    provider.primaryDown = false;
    int before = provider.models.size();
    gateway.chat(ask("backup"));
    assertThat(provider.models).as("asking the backup group directly hits its entry").hasSize(before);
    gateway.chat(ask("primary"));
    assertThat(provider.models).as("asking the primary again misses: its entry was never poisoned")
        .hasSizeGreaterThan(before);
  }

  @Test
  void aStreamedFallbackAnswerIsStoredUnderTheAnsweringGroup() {
    try (ChatStream stream = gateway.stream(ask("primary"))) {
      assertThat(stream.collect().text()).isEqualTo("from backup-model");
    }
    assertStoredUnderBackupOnly();
  }

  @Test
  void aHitThroughTheGatewayCostsNothingAndSaysSo() {
    provider.primaryDown = false;
    gateway.chat(ask("primary"));
    ChatResponse hit = gateway.chat(ask("primary"));
    assertThat(hit.text()).isEqualTo("from primary-model");
    assertThat(hit.usage()).isEqualTo(Usage.ZERO);
    assertThat(provider.models).hasSize(1);
  }
}
