package dev.llmgateway.provider.openai.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.embedding.EmbeddingRequest;
import dev.llmgateway.embedding.EmbeddingResponse;
import dev.llmgateway.spi.ChatProvider;
import dev.llmgateway.spi.EmbeddingProvider;
import dev.llmgateway.spi.ProviderCapabilities;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * The common body of the public Chat Completions providers (OpenAI and its compatible presets, Azure
 * OpenAI, Mistral): each is a {@link ChatCompletionsClient} configured its own way, and this class hands
 * every call to it. Thread-safe.
 *
 * <p>Every one of them is also an {@link EmbeddingProvider}: the same API serves {@code .../embeddings}
 * beside {@code .../chat/completions} under the same keys. A compatible server without embeddings
 * (Groq, DeepSeek) answers with an HTTP error, mapped like any other (usually an
 * {@link dev.llmgateway.error.InvalidRequestException}).
 */
public abstract class ChatCompletionsProvider implements ChatProvider, EmbeddingProvider {
  private final ChatCompletionsClient client;
  private final int apiKeyCount;

  /**
   * @param client makes the calls
   * @param apiKeyCount how many API keys the client rotates through, for {@link #apiKeyCount()}
   */
  protected ChatCompletionsProvider(ChatCompletionsClient client, int apiKeyCount) {
    this.client = Objects.requireNonNull(client, "client");
    this.apiKeyCount = apiKeyCount;
  }

  @Override
  public final String name() {
    return client.config().providerName();
  }

  /** How many API keys are configured (the keys themselves are never exposed). */
  public final int apiKeyCount() {
    return apiKeyCount;
  }

  /** Whether streams ask for a final usage chunk ({@code stream_options.include_usage}). */
  public final boolean includeStreamUsage() {
    return client.config().dialect().includeStreamUsage();
  }

  /** The request field the output-token limit is written to. */
  public final String maxTokensField() {
    return client.config().dialect().maxTokensField();
  }

  /** The extra headers' names (their values may be credentials), for {@code toString}. */
  protected final String headerNames() {
    return client.config().headers().keySet().toString();
  }

  /**
   * The HTTP client calls go through: the one given to the builder, or one derived from it sharing its
   * pool and dispatcher when it had OkHttp's silent retries on.
   */
  public final OkHttpClient httpClient() {
    return client.httpClient();
  }

  /** The JSON mapper bodies are read and written with. */
  public final ObjectMapper objectMapper() {
    return client.objectMapper();
  }

  @Override
  public ProviderCapabilities capabilities() {
    return ProviderCapabilities.ALL;
  }

  @Override
  public final ChatResponse chat(ChatRequest request, CallContext context) {
    return client.chat(request, context);
  }

  @Override
  public final ChatStream stream(ChatRequest request, CallContext context) {
    return client.stream(request, context);
  }

  /** Embeds with {@code POST .../embeddings}; see {@link ChatCompletionsClient#embed}. */
  @Override
  public final EmbeddingResponse embed(EmbeddingRequest request, CallContext context) {
    return client.embed(request, context);
  }

  /** Shuts down the HTTP client if this provider created it; a client given to the builder is left alone. */
  @Override
  public final void close() {
    client.close();
  }
}
