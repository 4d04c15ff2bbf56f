package dev.llmgateway.provider.openai;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Named configurations of {@link OpenAiChatProvider} for well-known servers that speak the Chat
 * Completions API, so that {@code groq/llama-3.3-70b-versatile} works with nothing but
 * {@code GROQ_API_KEY} set. {@link OpenAiCompatibleProviderFactory} serves every preset by its
 * {@link #presetName()}; {@link #builder()} starts a provider by hand.
 *
 * <p>What the adapter reads from these servers beyond OpenAI's fields is the same for all of them:
 * DeepSeek's and vLLM's {@code reasoning_content} becomes thinking, DeepSeek's
 * {@code prompt_cache_hit_tokens} cached input, Groq's {@code x_groq.usage} usage, tool-call indexes may
 * be missing or start at 1, and llama.cpp's {@code exceed_context_size_error} is a context overflow even
 * when it comes as HTTP 500.
 */
public enum OpenAiCompatiblePreset {
  /** GroqCloud; usage also arrives in {@code x_groq.usage}, so no {@code stream_options} is sent. */
  GROQ("groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY", true, false),
  /** Together AI ({@code api.together.xyz} is the older host of the same API). */
  TOGETHER("together", "https://api.together.ai/v1", "TOGETHER_API_KEY", true, false),
  /** DeepSeek; its documented base URL has no {@code /v1} (it also answers under {@code /v1}). */
  DEEPSEEK("deepseek", "https://api.deepseek.com", "DEEPSEEK_API_KEY", true, true),
  /** OpenRouter, which reports usage at the end of every stream by itself. */
  OPENROUTER("openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY", true, false),
  /** Fireworks AI. */
  FIREWORKS("fireworks", "https://api.fireworks.ai/inference/v1", "FIREWORKS_API_KEY", true, false),
  /** A local vLLM server; a key only when it was started with {@code --api-key}. */
  VLLM("vllm", "http://localhost:8000/v1", "VLLM_API_KEY", false, true),
  /** A local llama.cpp {@code llama-server}; a key only when it was started with {@code --api-key}. */
  LLAMACPP("llamacpp", "http://localhost:8080/v1", "LLAMACPP_API_KEY", false, true),
  /** LM Studio's local server, which takes no key. */
  LMSTUDIO("lmstudio", "http://localhost:1234/v1", null, false, true);

  /** The output-token field every preset uses: all of these servers take {@code max_tokens}. */
  public static final String DEFAULT_MAX_TOKENS_FIELD = "max_tokens";

  private final String presetName;
  private final String baseUrl;
  private final @Nullable String apiKeyVariable;
  private final boolean keyRequired;
  private final boolean includeStreamUsage;

  OpenAiCompatiblePreset(String presetName, String baseUrl, @Nullable String apiKeyVariable,
      boolean keyRequired, boolean includeStreamUsage) {
    this.presetName = presetName;
    this.baseUrl = baseUrl;
    this.apiKeyVariable = apiKeyVariable;
    this.keyRequired = keyRequired;
    this.includeStreamUsage = includeStreamUsage;
  }

  /** The provider name in model strings, e.g. {@code groq}. */
  public String presetName() {
    return presetName;
  }

  /** The server's base URL, to which {@code /chat/completions} is appended. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The environment variable the key is read from when none is configured; null when it takes none. */
  public @Nullable String apiKeyVariable() {
    return apiKeyVariable;
  }

  /** Whether a provider without a key is a configuration error (hosted services) or fine (local ones). */
  public boolean keyRequired() {
    return keyRequired;
  }

  /** The request field for the output-token limit; {@value #DEFAULT_MAX_TOKENS_FIELD} for every preset. */
  public String maxTokensField() {
    return DEFAULT_MAX_TOKENS_FIELD;
  }

  /** Whether streams send {@code stream_options.include_usage}. */
  public boolean includeStreamUsage() {
    return includeStreamUsage;
  }

  /** A builder with this preset's name, base URL, max-tokens field and stream-usage setting. */
  public OpenAiChatProvider.Builder builder() {
    return OpenAiChatProvider.builder()
        .providerName(presetName)
        .baseUrl(baseUrl)
        .maxTokensField(maxTokensField())
        .includeStreamUsage(includeStreamUsage);
  }

  /** The preset named {@code name} (any case), or null when there is none. */
  public static @Nullable OpenAiCompatiblePreset forName(String name) {
    Objects.requireNonNull(name, "name");
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    for (OpenAiCompatiblePreset preset : values()) {
      if (preset.presetName.equals(wanted)) {
        return preset;
      }
    }
    return null;
  }
}
