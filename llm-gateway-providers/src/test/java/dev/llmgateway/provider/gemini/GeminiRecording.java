package dev.llmgateway.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.provider.ConformanceFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a recorded Gemini answer says, read naively and independently of the adapter: every
 * {@code GenerateContentResponse} of the file (the {@code data:} lines of an {@code .sse}, the lines of a
 * {@code .jsonl}, the body of a {@code .json}), with candidate 0's parts folded in order.
 *
 * @param text the non-thought text parts joined
 * @param thinking the thought parts' text joined
 * @param callNames the names of the function-call parts that carry a name, in order
 * @param callArgs the {@code args} of those calls (null for a streamed call without {@code args})
 * @param signatures every {@code thoughtSignature}, in order
 * @param finishReason the last {@code finishReason}
 * @param promptTokens {@code promptTokenCount} of the last usage with one; -1 when none
 * @param candidatesTokens {@code candidatesTokenCount} of that usage (0 when absent)
 * @param thoughtsTokens {@code thoughtsTokenCount} of that usage (0 when absent)
 * @param responseId the last {@code responseId}
 * @param modelVersion the last {@code modelVersion}
 * @param blockReason {@code promptFeedback.blockReason} of a response without candidates
 */
record GeminiRecording(String text, String thinking, List<String> callNames, List<JsonNode> callArgs,
    List<String> signatures, String finishReason, long promptTokens, long candidatesTokens,
    long thoughtsTokens, String responseId, String modelVersion, String blockReason) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static GeminiRecording read(Path file) {
    String name = file.getFileName().toString();
    List<JsonNode> responses = new ArrayList<>();
    if (name.endsWith(".json")) {
      responses.add(parse(ConformanceFiles.text(file)));
    } else if (name.endsWith(".jsonl")) {
      ConformanceFiles.jsonLines(file).forEach(l -> responses.add(parse(l)));
    } else {
      ConformanceFiles.text(file).lines().filter(l -> l.startsWith("data:"))
          .forEach(l -> responses.add(parse(l.substring("data:".length()))));
    }
    StringBuilder text = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    List<String> names = new ArrayList<>();
    List<JsonNode> args = new ArrayList<>();
    List<String> signatures = new ArrayList<>();
    String finish = null;
    long prompt = -1;
    long candidates = 0;
    long thoughts = 0;
    String id = null;
    String model = null;
    String block = null;
    for (JsonNode r : responses) {
      if (r.has("responseId")) {
        id = r.get("responseId").asText();
      }
      if (r.has("modelVersion")) {
        model = r.get("modelVersion").asText();
      }
      JsonNode usage = r.path("usageMetadata");
      if (usage.has("promptTokenCount")) {
        prompt = usage.get("promptTokenCount").asLong();
        candidates = usage.path("candidatesTokenCount").asLong(0);
        thoughts = usage.path("thoughtsTokenCount").asLong(0);
      }
      JsonNode cands = r.path("candidates");
      if (cands.size() == 0) {
        if (r.path("promptFeedback").has("blockReason")) {
          block = r.path("promptFeedback").get("blockReason").asText();
        }
        continue;
      }
      JsonNode c = cands.get(0);
      for (JsonNode part : c.path("content").path("parts")) {
        if (part.has("thoughtSignature")) {
          signatures.add(part.get("thoughtSignature").asText());
        }
        if (part.has("functionCall")) {
          JsonNode fc = part.get("functionCall");
          if (fc.has("name")) {
            names.add(fc.get("name").asText());
            args.add(fc.get("args"));
          }
        } else if (part.path("thought").asBoolean()) {
          thinking.append(part.path("text").asText());
        } else if (part.has("text")) {
          text.append(part.get("text").asText());
        }
      }
      if (c.has("finishReason")) {
        finish = c.get("finishReason").asText();
      }
    }
    return new GeminiRecording(text.toString(), thinking.toString(), names, args, signatures, finish,
        prompt, candidates, thoughts, id, model, block);
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
