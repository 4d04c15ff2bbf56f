package dev.llmgateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TourTest {

  @Test
  void tourRunsAgainstTheFakeServerWhenNoKeyIsSet() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      Tour.run(out, name -> null);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("talking to the embedded FakeLlmServer");
    assertThat(printed).contains("reply:  Hello from FakeLlmServer. You said: Say hello to a Java developer");
    assertThat(printed).contains("pull:   Hello from FakeLlmServer. You said: Count from one to five in words.");
    assertThat(printed).contains("tool:   model called get_weather{\"city\":\"Lisbon\"}");
    assertThat(printed).contains("reply:  It is 21 degrees and sunny in Lisbon.");
    assertThat(printed).contains("json:   {\"name\":\"Ada Lovelace\",\"born\":1815}");
    assertThat(printed).contains("timing: openai answered in");
    assertThat(printed).containsPattern("async:  Hello from FakeLlmServer\\. You said: Name one fruit that is (red|green|blue)\\.");
    assertThat(printed).contains("reply:  Hello from FakeLlmServer. You said: Which deployment answered?");
    assertThat(printed).contains(
        "attempt: east (east/fake-model) FAILED ProviderUnavailableException",
        "attempt: west (west/fake-model) SUCCEEDED",
        "next:   [west (west/fake-model) SUCCEEDED]",
        "requests: east 2, west 2");
    assertThat(printed).contains("typed:  Sentiment[label=POSITIVE, confidence=0.93]");
    assertThat(printed).contains("http:   200 {\"label\":\"NEGATIVE\",\"confidence\":0.88}");
    assertThat(printed).containsPattern("http:   400 application/problem\\+json \\S");
  }

  @Test
  void withAKeyTheTourTargetsOpenAiAndTheDocumentedDefaultModel() {
    try (TourBackend backend = TourBackend.fromEnvironment(
        name -> name.equals("OPENAI_API_KEY") ? "sk-not-used-no-call-is-made" : null)) {
      assertThat(backend.isFake()).isFalse();
      assertThat(backend.describe()).isEqualTo(
          "OpenAI at https://api.openai.com/v1 (model " + TourBackend.DEFAULT_OPENAI_MODEL + ")");
      assertThat(TourBackend.DEFAULT_OPENAI_MODEL).isEqualTo("gpt-4o-mini");
      assertThat(backend.describe()).doesNotContain("sk-not-used");
    }
  }

  @Test
  void openAiBaseUrlAndModelCanBeOverridden() {
    try (TourBackend backend = TourBackend.fromEnvironment(name -> switch (name) {
      case "OPENAI_API_KEY" -> "k";
      case "OPENAI_BASE_URL" -> "http://127.0.0.1:9/v1";
      case "OPENAI_MODEL" -> "llama3";
      default -> null;
    })) {
      assertThat(backend.describe()).isEqualTo("OpenAI at http://127.0.0.1:9/v1 (model llama3)");
    }
  }
}
