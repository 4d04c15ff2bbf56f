package dev.llmgateway.provider.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.UnsupportedFeatureException;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** Where the Chat Completions family posts embeddings, and how the dialects spell the vector size. */
class ChatCompletionsEmbeddingsUrlTest {

  @Test
  void replacesChatCompletionsByEmbeddingsKeepingPathAndQuery() {
    ChatCompletionsConfig config = ChatCompletionsConfig.builder("azure",
        model -> HttpUrl.get("https://r.openai.azure.com/openai/deployments/" + model
            + "/chat/completions?api-version=2024-10-21")).build();

    assertThat(config.embeddingsUrl("emb").toString()).isEqualTo(
        "https://r.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21");
  }

  @Test
  void anEndpointNotEndingInChatCompletionsHasNoEmbeddingsUrl() {
    ChatCompletionsConfig config = ChatCompletionsConfig.builder("odd",
        model -> HttpUrl.get("https://example.com/v1/generate")).build();

    assertThatThrownBy(() -> config.embeddingsUrl("m"))
        .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("odd")
        .hasMessageContaining("chat/completions");
  }

  @Test
  void openAiSpellsTheVectorSizeDimensions() {
    assertThat(ChatCompletionsDialect.OPENAI.embeddingDimensionsField()).isEqualTo("dimensions");
    assertThat(ChatCompletionsDialect.OPENAI.withEmbeddingDimensionsField("output_dimension")
        .embeddingDimensionsField()).isEqualTo("output_dimension");
    assertThatThrownBy(() -> ChatCompletionsDialect.OPENAI.withEmbeddingDimensionsField(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
