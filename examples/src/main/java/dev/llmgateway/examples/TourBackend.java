package dev.llmgateway.examples;

import dev.llmgateway.gateway.LlmGateway;
import dev.llmgateway.gateway.LlmGatewayBuilder;
import dev.llmgateway.provider.openai.OpenAiChatProvider;
import dev.llmgateway.spi.Secret;
import dev.llmgateway.testkit.FakeLlmServer;
import dev.llmgateway.testkit.FakeReply;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where the examples send their calls: the real OpenAI API (or a compatible server) when
 * {@code OPENAI_API_KEY} is set, else an embedded {@link FakeLlmServer}, so the tour runs anywhere
 * without spending tokens. Every example asks for the model alias {@value #MODEL}.
 */
public final class TourBackend implements AutoCloseable {
  /** The alias every example uses. */
  public static final String MODEL = "chat";
  /** The OpenAI model behind the alias when none is set in {@code OPENAI_MODEL}. */
  public static final String DEFAULT_OPENAI_MODEL = "gpt-4o-mini";

  private final @Nullable FakeLlmServer fake;
  private final OpenAiChatProvider provider;
  private final String model;

  private TourBackend(@Nullable FakeLlmServer fake, OpenAiChatProvider provider, String model) {
    this.fake = fake;
    this.provider = provider;
    this.model = model;
  }

  /** Chooses the backend from the process environment. */
  public static TourBackend fromEnvironment() {
    return fromEnvironment(System::getenv);
  }

  /** Chooses the backend from {@code env}: real OpenAI with {@code OPENAI_API_KEY}, else the fake. */
  public static TourBackend fromEnvironment(Function<String, @Nullable String> env) {
    String key = env.apply("OPENAI_API_KEY");
    if (key != null && !key.isBlank()) {
      OpenAiChatProvider.Builder builder = OpenAiChatProvider.builder().apiKey(Secret.of(key));
      String baseUrl = env.apply("OPENAI_BASE_URL");
      if (baseUrl != null && !baseUrl.isBlank()) {
        builder.baseUrl(baseUrl);
      }
      String model = env.apply("OPENAI_MODEL");
      return new TourBackend(null, builder.build(),
          model != null && !model.isBlank() ? model : DEFAULT_OPENAI_MODEL);
    }
    FakeLlmServer server = FakeLlmServer.start();
    OpenAiChatProvider provider = OpenAiChatProvider.builder().baseUrl(server.baseUrl()).build();
    return new TourBackend(server, provider, server.model());
  }

  /** A gateway builder already pointed at this backend, with {@value #MODEL} as the alias. */
  public LlmGatewayBuilder gateway() {
    return LlmGateway.builder().provider(provider).alias(MODEL, "openai/" + model);
  }

  /** Whether the calls go to the embedded fake server. */
  public boolean isFake() {
    return fake != null;
  }

  /** Scripts the fake server's next replies; does nothing against a real API. */
  public void script(FakeReply... replies) {
    if (fake != null) {
      fake.enqueue(replies);
    }
  }

  /** Where the calls go, for the tour's banner. */
  public String describe() {
    return fake != null ? "the embedded FakeLlmServer at " + fake.baseUrl()
        : "OpenAI at " + provider.baseUrl() + " (model " + model + ")";
  }

  @Override
  public void close() {
    provider.close();
    if (fake != null) {
      fake.close();
    }
  }
}
