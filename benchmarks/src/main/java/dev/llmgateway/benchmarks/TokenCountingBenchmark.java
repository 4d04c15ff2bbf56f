package dev.llmgateway.benchmarks;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.tokens.EstimatingTokenCounter;
import dev.llmgateway.tokens.OpenAiTokenCounter;
import java.io.IOException;
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
 * What counting a prompt's tokens before the call costs, for a 1 KB prompt ({@link SamplePrompt}):
 * OpenAI's {@code o200k_base} tokenizer through JTokkit ({@link OpenAiTokenCounter}, on {@code gpt-4o}),
 * and the character estimator ({@link EstimatingTokenCounter#GENERIC}), each on the bare text and on a
 * whole request (system message, the prompt, framing). The baseline is the raw loopback call with the
 * same prompt, as in {@link ChatOverheadBenchmark}. Scores are microseconds per call, so for the
 * counting methods microseconds per KB of prompt.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenCountingBenchmark {
  /** An OpenAI model counted with {@code o200k_base}. */
  static final String MODEL = "gpt-4o";
  static final int MAX_TOKENS = 256;

  private LoopbackFixture fixture;
  private OpenAiTokenCounter openAi;
  private ChatRequest request;
  /** The prompt in a field, not the constant, so that the JIT cannot fold the estimator's arithmetic. */
  private String prompt;

  @Setup(Level.Trial)
  public void setUp() {
    fixture = new LoopbackFixture();
    openAi = OpenAiTokenCounter.create();
    if (!"o200k_base".equals(OpenAiTokenCounter.encodingName(MODEL))) {
      throw new IllegalStateException(MODEL + " is not counted with o200k_base");
    }
    prompt = SamplePrompt.ONE_KB;
    openAi.countText(prompt, "openai", MODEL); // loads the vocabulary outside the measurement
    request = ChatRequest.builder().model("openai/" + MODEL).system(SamplePrompt.SYSTEM)
        .user(prompt).maxTokens(MAX_TOKENS).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    fixture.close();
  }

  /** The baseline: a raw OkHttp chat call carrying the 1 KB prompt, parsed with Jackson. */
  @Benchmark
  public String baselineRawOkHttp() throws IOException {
    return fixture.rawChat(MODEL, SamplePrompt.SYSTEM, prompt, MAX_TOKENS);
  }

  /** The 1 KB prompt's tokens with JTokkit, {@code o200k_base}. */
  @Benchmark
  public long jtokkitO200kText() {
    return openAi.countText(prompt, "openai", MODEL);
  }

  /** The whole request's input tokens with JTokkit (messages, roles, framing), as the pricer counts. */
  @Benchmark
  public long jtokkitO200kRequest() {
    return openAi.countInputTokens(request, "openai", MODEL);
  }

  /** The 1 KB prompt's tokens with the character estimator. */
  @Benchmark
  public long estimatorText() {
    return EstimatingTokenCounter.GENERIC.countText(prompt, "openai", MODEL);
  }

  /** The whole request's input tokens with the character estimator. */
  @Benchmark
  public long estimatorRequest() {
    return EstimatingTokenCounter.GENERIC.countInputTokens(request, "openai", MODEL);
  }
}
