package dev.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.embedding.Embedding;
import dev.llmgateway.embedding.EmbeddingRequest;
import dev.llmgateway.embedding.EmbeddingResponse;
import dev.llmgateway.error.InvalidRequestException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingTypesTest {

  @Test
  void requestValidationNamesTheField() {
    assertThatThrownBy(() -> EmbeddingRequest.of("m", List.of())).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("inputs");
    assertThatThrownBy(() -> EmbeddingRequest.of("m", List.of("a", " "))).hasMessageContaining("inputs[1]");
    assertThatThrownBy(() -> new EmbeddingRequest("m", List.of("a"), 0, RequestMetadata.EMPTY))
        .hasMessageContaining("dimensions");
    assertThat(EmbeddingRequest.of("m", "a").dimensions()).isNull();
  }

  @Test
  void embeddingIsImmutableAndComparesByValue() {
    float[] v = {1f, 0f};
    Embedding e = new Embedding(0, v);
    v[0] = 5f;
    e.vector()[1] = 7f;
    assertThat(e.vector()).containsExactly(1f, 0f);
    assertThat(e).isEqualTo(new Embedding(0, new float[] {1f, 0f}));
    assertThat(e.toString()).isEqualTo("Embedding[index=0, dimensions=2]");
  }

  @Test
  void cosineSimilarity() {
    Embedding x = new Embedding(0, new float[] {1f, 0f});
    assertThat(x.cosineSimilarity(new Embedding(1, new float[] {2f, 0f}))).isEqualTo(1.0);
    assertThat(x.cosineSimilarity(new Embedding(1, new float[] {0f, 3f}))).isEqualTo(0.0);
    assertThat(x.cosineSimilarity(new Embedding(1, new float[] {-1f, 0f}))).isEqualTo(-1.0);
    assertThatThrownBy(() -> x.cosineSimilarity(new Embedding(1, new float[] {1f})))
        .hasMessageContaining("2 and 1").hasMessageContaining("dimensions");
  }

  @Test
  void responseKeepsInputOrder() {
    assertThatThrownBy(() -> new EmbeddingResponse("m", "p",
        List.of(new Embedding(1, new float[] {1f}), new Embedding(0, new float[] {1f})), Usage.ZERO))
        .hasMessageContaining("input order");
  }
}
