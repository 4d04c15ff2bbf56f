package dev.llmgateway.context;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.catalog.ModelCapabilities;
import dev.llmgateway.catalog.ModelCatalog;
import dev.llmgateway.catalog.ModelInfo;
import dev.llmgateway.tokens.TokenCounter;
import java.util.List;

/** Shared fixtures: a one-model catalog, a token counter easy to reason about, message shorthands. */
final class Conversations {
  private Conversations() {}

  /** {@code fake/small}: a window of 1,000 tokens, at most 200 out. */
  static final ModelCatalog CATALOG = ModelCatalog.builder()
      .add(ModelInfo.of("fake", "small", 1_000, 200, ModelCapabilities.ALL, null))
      .add(ModelInfo.of("fake", "large", 100_000, null, ModelCapabilities.ALL, null))
      .build();

  /**
   * One token per character of text, tool-call arguments and tool-result content, plus one per message:
   * a message of {@code n} characters costs {@code n + 1}.
   */
  static final TokenCounter CHARS = (request, provider, model) -> {
    long tokens = 0;
    for (Message m : request.messages()) {
      tokens += 1;
      for (ContentPart part : m.content()) {
        if (part instanceof ContentPart.Text t) {
          tokens += t.text().length();
        } else if (part instanceof ContentPart.ToolCall c) {
          tokens += c.arguments().length();
        } else if (part instanceof ContentPart.ToolResult r) {
          tokens += r.content().length();
        }
      }
    }
    return tokens;
  };

  /** A builder for {@code fake/small} with the catalog, counter, no safety margin and no reserve. */
  static ContextWindowInterceptor.Builder small() {
    return ContextWindowInterceptor.builder().modelCatalog(CATALOG).tokenCounter(CHARS)
        .safetyMargin(0).outputReserve(0);
  }

  /** {@code n} characters: the letter {@code c} repeated. */
  static String text(char c, int n) {
    return String.valueOf(c).repeat(n);
  }

  static Message toolCall(String id, String name) {
    return Message.assistant(List.of(new ContentPart.ToolCall(id, name, "{}")));
  }

  static ChatRequest request(String model, List<Message> messages) {
    return ChatRequest.builder().model(model).messages(messages).build();
  }
}
