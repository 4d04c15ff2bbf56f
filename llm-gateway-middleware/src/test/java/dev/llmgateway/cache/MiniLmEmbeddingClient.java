package dev.llmgateway.cache;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.llmgateway.Usage;
import dev.llmgateway.embedding.Embedding;
import dev.llmgateway.embedding.EmbeddingClient;
import dev.llmgateway.embedding.EmbeddingRequest;
import dev.llmgateway.embedding.EmbeddingResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real, local embedding model as an {@link EmbeddingClient}: all-MiniLM-L6-v2 (384 dimensions), which
 * LangChain4j ships inside its jar and runs with ONNX Runtime in-process. Nothing leaves the machine.
 */
final class MiniLmEmbeddingClient implements EmbeddingClient {
  static final String MODEL = "local/all-minilm-l6-v2";
  private final AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
  final AtomicInteger calls = new AtomicInteger();

  @Override
  public EmbeddingResponse embed(EmbeddingRequest request) {
    calls.incrementAndGet();
    List<Embedding> out = new ArrayList<>();
    for (int i = 0; i < request.inputs().size(); i++) {
      out.add(new Embedding(i, model.embed(request.inputs().get(i)).content().vector()));
    }
    return new EmbeddingResponse("all-minilm-l6-v2", "local", out, Usage.ZERO);
  }
}
