package dev.llmgateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.Interceptor;
import dev.llmgateway.gateway.LlmGateway;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway's chain runs the rest of the pipeline under a fork of the call's context when asked. */
class ChainForkTest {
  private final StepProvider provider = new StepProvider("p");
  private final List<CallContext> seenInside = new CopyOnWriteArrayList<>();
  private LlmGateway gateway;

  @AfterEach
  void close() {
    gateway.close();
  }

  private final Interceptor forking = new Interceptor() {
    @Override
    public ChatResponse intercept(ChatRequest request, Chain chain) {
      return chain.withContext(chain.context().fork()).proceed(request);
    }

    @Override
    public ChatStream interceptStream(ChatRequest request, StreamChain chain) {
      return chain.withContext(chain.context().fork()).proceed(request);
    }
  };

  private final Interceptor recording = new Interceptor() {
    @Override
    public ChatResponse intercept(ChatRequest request, Chain chain) {
      seenInside.add(chain.context());
      return chain.proceed(request);
    }

    @Override
    public ChatStream interceptStream(ChatRequest request, StreamChain chain) {
      seenInside.add(chain.context());
      return chain.proceed(request);
    }
  };

  private static ChatRequest ask() {
    return ChatRequest.builder().model("p/model").user("hello").build();
  }

  @Test
  void theInterceptorsAfterAForkAndTheProviderSeeTheFork() {
    gateway = LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .addInterceptor(forking).addInterceptor(recording).build();

    gateway.chat(ask());
    gateway.stream(ask()).collect();

    assertThat(seenInside).hasSize(2).allMatch(CallContext::isFork);
    assertThat(provider.contexts).containsExactlyElementsOf(seenInside);
  }

  @Test
  void aContextOfAnotherCallIsRefused() {
    Interceptor foreign = (request, chain) ->
        chain.withContext(CallContext.standalone(false)).proceed(request);
    gateway = LlmGateway.builder().discoverProviders(false).logging(false).provider(provider)
        .addInterceptor(foreign).build();

    assertThatThrownBy(() -> gateway.chat(ask())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fork of this call's context");
  }
}
