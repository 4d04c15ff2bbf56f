package dev.llmgateway.provider.gemini.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiStreamedArgumentsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void assemblesNestedObjectsArraysAndSplitStrings() throws IOException {
    StreamedArguments args = new StreamedArguments(MAPPER, "cookRecipe", null, "sig");
    args.apply(json("[{\"jsonPath\":\"$.recipe.ingredients[0].amount\",\"stringValue\":\"16 \","
        + "\"willContinue\":true}]"));
    args.apply(json("[{\"jsonPath\":\"$.recipe.ingredients[0].amount\",\"stringValue\":\"oz\"}]"));
    args.apply(json("[{\"jsonPath\":\"$.recipe.ingredients[1].name\",\"stringValue\":\"Beef\"},"
        + "{\"jsonPath\":\"$.recipe.servings\",\"numberValue\":4},"
        + "{\"jsonPath\":\"$.recipe['vegan option']\",\"boolValue\":false},"
        + "{\"jsonPath\":\"$.recipe.notes\",\"nullValue\":null}]"));
    assertThat(json(args.json())).isEqualTo(json("{\"recipe\":{\"ingredients\":["
        + "{\"amount\":\"16 oz\"},{\"name\":\"Beef\"}],\"servings\":4,\"vegan option\":false,"
        + "\"notes\":null}}"));
    assertThat(args.name()).isEqualTo("cookRecipe");
    assertThat(args.signature()).isEqualTo("sig");
  }

  @Test
  void parsesJsonPaths() {
    assertThat(StreamedArguments.parse("$.a.b[2]['c.d'][\"e\"]"))
        .isEqualTo(List.of("a", "b", 2, "c.d", "e"));
    assertThat(StreamedArguments.parse("$")).isEmpty();
  }

  @Test
  void rejectsPathsItCannotRead() {
    for (String bad : List.of("a.b", "$..a", "$.a[", "$.a[x]", "$.a[-1]", "$a")) {
      assertThatThrownBy(() -> StreamedArguments.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    StreamedArguments args = new StreamedArguments(MAPPER, "f", null, null);
    assertThatThrownBy(() -> args.apply(json("[{\"stringValue\":\"x\"}]")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jsonPath");
    assertThatThrownBy(() -> args.apply(json("[{\"jsonPath\":\"$\",\"stringValue\":\"x\"}]")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("root");
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
