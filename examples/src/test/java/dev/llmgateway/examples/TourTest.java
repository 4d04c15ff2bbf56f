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
  }
}
