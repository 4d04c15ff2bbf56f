package dev.llmgateway.benchmarks;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Message;
import dev.llmgateway.Usage;
import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.spi.ChatProvider;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The gateway's own cost, with the network taken out: an in-memory provider called directly (the
 * baseline) against the same provider behind {@code LlmGateway} with no interceptors. The difference is
 * what the pipeline adds to every call (context, model resolution, catalog check, listeners).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PipelineOverheadBenchmark {
  private static final ChatResponse ANSWER = ChatResponse.builder().id("r").model("m").provider("mem")
      .message(Message.assistant(LoopbackFixture.ANSWER)).finishReason(FinishReason.STOP)
      .usage(Usage.of(20, 60)).build();

  /** A provider that answers at once from memory. */
  static final class InMemoryProvider implements ChatProvider {
    @Override
    public String name() {
      return "mem";
    }

    @Override
    public ChatResponse chat(ChatRequest request, CallContext context) {
      return ANSWER;
    }

    @Override
    public ChatStream stream(ChatRequest request, CallContext context) {
      return ChatStream.of(List.of());
    }
  }

  private final InMemoryProvider provider = new InMemoryProvider();
  private LlmGateway gateway;
  private ChatRequest request;

  @Setup(Level.Trial)
  public void setUp() {
    gateway = LlmGateway.builder().discoverProviders(false).provider(provider).build();
    request = ChatRequest.builder().model("mem/m").system("You are a helpful assistant.")
        .user("Tell me about foxes.").build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    gateway.close();
  }

  /** The baseline: the provider called directly. */
  @Benchmark
  public ChatResponse baselineDirectProvider() {
    return provider.chat(request, CallContext.standalone(false));
  }

  /** The same provider through the gateway, no interceptors. */
  @Benchmark
  public ChatResponse gatewayChat() {
    return gateway.chat(request);
  }
}
