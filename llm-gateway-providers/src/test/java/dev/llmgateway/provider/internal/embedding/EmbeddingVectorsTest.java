package dev.llmgateway.provider.internal.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.embedding.Embedding;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.MalformedResponseException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingVectorsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ErrorContext WHERE = ErrorContext.of("p", "m");

  @Test
  void readsAnArrayOfNumbers() throws Exception {
    assertThat(EmbeddingVectors.read(MAPPER.readTree("[1, -0.5, 2.5e-3]"), "p", "v", WHERE))
        .containsExactly(1f, -0.5f, 0.0025f);
  }

  @Test
  void readsBase64LittleEndianFloat32() {
    byte[] bytes = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
        .putFloat(1.5f).putFloat(-3f).putFloat(0.125f).array();
    JsonNode node = MAPPER.getNodeFactory().textNode(Base64.getEncoder().encodeToString(bytes));

    assertThat(EmbeddingVectors.read(node, "p", "v", WHERE)).containsExactly(1.5f, -3f, 0.125f);
  }

  @Test
  void refusesWhatIsNotAVectorNamingThePlaceAndTheProvider() throws Exception {
    assertThatThrownBy(() -> EmbeddingVectors.read(null, "p", "data[3].embedding", WHERE))
        .isInstanceOf(MalformedResponseException.class).hasMessageContaining("p answered")
        .hasMessageContaining("data[3].embedding");
    assertThatThrownBy(() -> EmbeddingVectors.read(MAPPER.readTree("[]"), "p", "v", WHERE))
        .isInstanceOf(MalformedResponseException.class);
    assertThatThrownBy(() -> EmbeddingVectors.read(MAPPER.readTree("[1, \"x\"]"), "p", "v", WHERE))
        .isInstanceOf(MalformedResponseException.class).hasMessageContaining("not a number");
    assertThatThrownBy(() -> EmbeddingVectors.read(MAPPER.readTree("{\"a\":1}"), "p", "v", WHERE))
        .isInstanceOf(MalformedResponseException.class);
    assertThatThrownBy(() -> EmbeddingVectors.read(MAPPER.getNodeFactory().textNode("AAE="), "p", "v",
        WHERE)).isInstanceOf(MalformedResponseException.class).hasMessageContaining("float32");
    assertThatThrownBy(() -> EmbeddingVectors.read(MAPPER.getNodeFactory().textNode("not base64!"), "p",
        "v", WHERE)).isInstanceOf(MalformedResponseException.class);
  }

  @Test
  void requiresOneVectorPerInput() {
    List<Embedding> one = List.of(new Embedding(0, new float[] {1f}));

    EmbeddingVectors.requireCount(one, 1, "p", WHERE);
    assertThatThrownBy(() -> EmbeddingVectors.requireCount(one, 2, "p", WHERE))
        .isInstanceOf(MalformedResponseException.class).hasMessageContaining("1 embeddings for 2 inputs")
        .satisfies(e -> assertThat(((MalformedResponseException) e).context()).isEqualTo(WHERE));
  }
}
