package dev.llmgateway.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.tokens.internal.StandardTokenCounter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * JTokkit is optional: with it, {@link TokenCounter#standard()} counts OpenAI models exactly; without it
 * (simulated by a class loader that hides {@code com.knuddels}), the same code runs and estimates.
 */
class TokenCounterFallbackTest {

  @Test
  void withJtokkitTheStandardCounterIsExactForOpenAiModels() {
    assertThat(TokenCounter.jtokkitAvailable()).isTrue();
    TokenCounter standard = TokenCounter.standard();
    assertThat(standard.countInputTokens(OpenAiTokenCounterTest.cookbookConversation("gpt-4o"), "openai",
        "gpt-4o")).isEqualTo(124);
  }

  @Test
  void theStandardCounterEstimatesEverythingElse() {
    TokenCounter standard = TokenCounter.standard();
    ChatRequest request = ChatRequest.builder().model("m").user("Hello there, how are you?").build();
    assertThat(standard.countInputTokens(request, "anthropic", "claude-sonnet-4-5"))
        .isEqualTo(EstimatingTokenCounter.ANTHROPIC.countInputTokens(request, "anthropic", "claude-sonnet-4-5"));
    assertThat(standard.countInputTokens(request, "bedrock", "us.anthropic.claude-3-7-sonnet"))
        .isEqualTo(EstimatingTokenCounter.ANTHROPIC.countInputTokens(request, null, "x"));
    assertThat(standard.countInputTokens(request, "gemini", "gemini-2.5-pro"))
        .isEqualTo(EstimatingTokenCounter.GENERIC.countInputTokens(request, null, "x"));
    assertThat(standard.countInputTokens(request, null, "fast"))
        .isEqualTo(EstimatingTokenCounter.GENERIC.countInputTokens(request, null, "x"));
  }

  @Test
  void theEstimatingCounterNeverUsesJtokkit() {
    TokenCounter estimating = TokenCounter.estimating();
    ChatRequest conversation = OpenAiTokenCounterTest.cookbookConversation("gpt-4o");
    assertThat(estimating.countInputTokens(conversation, "openai", "gpt-4o"))
        .isEqualTo(EstimatingTokenCounter.GENERIC.countInputTokens(conversation, "openai", "gpt-4o"))
        .isNotEqualTo(124);
    assertThat(((StandardTokenCounter) estimating).usesJtokkit()).isFalse();
  }

  @Test
  void withoutJtokkitTheStandardCounterFallsBackToTheEstimator() throws Exception {
    try (HidingJtokkit loader = new HidingJtokkit()) {
      Class<?> api = loader.loadClass(TokenCounter.class.getName());
      assertThat(api).isNotSameAs(TokenCounter.class); // really loaded apart from the test's copy
      assertThat((boolean) api.getMethod("jtokkitAvailable").invoke(null)).isFalse();

      Object standard = api.getMethod("standard").invoke(null);
      Method count = api.getMethod("countInputTokens", ChatRequest.class, String.class, String.class);
      ChatRequest conversation = OpenAiTokenCounterTest.cookbookConversation("gpt-4o");
      long estimated = (long) count.invoke(standard, conversation, "openai", "gpt-4o");
      assertThat(estimated)
          .isEqualTo(EstimatingTokenCounter.GENERIC.countInputTokens(conversation, "openai", "gpt-4o"));

      Class<?> openAi = loader.loadClass(OpenAiTokenCounter.class.getName());
      try {
        openAi.getMethod("create").invoke(null);
        throw new AssertionError("OpenAiTokenCounter.create() worked without JTokkit");
      } catch (InvocationTargetException e) {
        assertThat(e.getCause()).isInstanceOf(LlmConfigurationException.class)
            .hasMessageContaining("com.knuddels:jtokkit");
      }
    }
  }

  /**
   * Loads this module's {@code dev.llmgateway.tokens} classes itself (child first), everything else from
   * the test's class loader, and refuses every {@code com.knuddels} class, as if JTokkit were absent.
   */
  private static final class HidingJtokkit extends URLClassLoader {
    HidingJtokkit() {
      super(new URL[] {TokenCounter.class.getProtectionDomain().getCodeSource().getLocation()},
          TokenCounterFallbackTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("com.knuddels.")) {
        throw new ClassNotFoundException(name + " is hidden by the test");
      }
      if (!name.startsWith("dev.llmgateway.tokens.")) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          loaded = findClass(name);
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }
  }
}
