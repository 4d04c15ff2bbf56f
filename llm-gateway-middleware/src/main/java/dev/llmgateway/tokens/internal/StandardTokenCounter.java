package dev.llmgateway.tokens.internal;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.tokens.EstimatingTokenCounter;
import dev.llmgateway.tokens.OpenAiTokenCounter;
import dev.llmgateway.tokens.TokenCounter;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@link TokenCounter#standard()}: OpenAI families to {@link OpenAiTokenCounter} when JTokkit
 * is present, Claude to {@link EstimatingTokenCounter#ANTHROPIC}, the rest to
 * {@link EstimatingTokenCounter#GENERIC}.
 *
 * <p>{@link OpenAiTokenCounter} is touched only when JTokkit is present, so that this class links and
 * runs without it.
 */
public final class StandardTokenCounter implements TokenCounter {
  private static final String JTOKKIT_CLASS = "com.knuddels.jtokkit.Encodings";

  private final boolean useJtokkit;
  private volatile @Nullable TokenCounter openAi;

  private StandardTokenCounter(boolean useJtokkit) {
    this.useJtokkit = useJtokkit;
  }

  public static TokenCounter create(boolean useJtokkit) {
    return new StandardTokenCounter(useJtokkit);
  }

  /** Whether JTokkit can be loaded by the class loader that loaded this class. */
  public static boolean jtokkitPresent() {
    try {
      Class.forName(JTOKKIT_CLASS, false, StandardTokenCounter.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Whether OpenAI models are counted with JTokkit. */
  public boolean usesJtokkit() {
    return useJtokkit;
  }

  @Override
  public long countInputTokens(ChatRequest request, @Nullable String provider, String model) {
    return delegate(provider, model).countInputTokens(request, provider, model);
  }

  @Override
  public long countText(String text, @Nullable String provider, String model) {
    return delegate(provider, model).countText(text, provider, model);
  }

  /** The counter for {@code model} of {@code provider}. */
  public TokenCounter delegate(@Nullable String provider, String model) {
    if (useJtokkit && OpenAiModels.encoding(model) != null) {
      return openAi();
    }
    if ("anthropic".equals(provider) || model.toLowerCase(Locale.ROOT).contains("claude")) {
      return EstimatingTokenCounter.ANTHROPIC;
    }
    return EstimatingTokenCounter.GENERIC;
  }

  private TokenCounter openAi() {
    TokenCounter counter = openAi;
    if (counter == null) {
      synchronized (this) {
        counter = openAi;
        if (counter == null) {
          counter = OpenAiTokenCounter.create();
          openAi = counter;
        }
      }
    }
    return counter;
  }

  @Override
  public String toString() {
    return "TokenCounter.standard()[jtokkit=" + useJtokkit + "]";
  }
}
