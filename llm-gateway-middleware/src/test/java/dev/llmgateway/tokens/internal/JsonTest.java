package dev.llmgateway.tokens.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void compactsWhitespaceOutsideStringsOnly() {
    assertThat(Json.compact("{ \"a b\" : [1, 2],\n \"c\":\t\"x \\\" y\" }"))
        .isEqualTo("{\"a b\":[1,2],\"c\":\"x \\\" y\"}");
  }

  @Test
  void parsesNestedValuesKeepingKeyOrder() {
    Object value = Json.parse("{\"z\":1,\"a\":{\"b\":[true,null,\"s\\u0041\"]},\"n\":-1.5e3}");
    Map<String, Object> object = Json.object(value);
    assertThat(object.keySet()).containsExactly("z", "a", "n");
    assertThat(object.get("z")).isEqualTo(new Json.Number("1"));
    List<Object> list = Json.array(Json.object(object.get("a")).get("b"));
    assertThat(list).containsExactly(true, null, "sA");
    assertThat(object.get("n")).isEqualTo(new Json.Number("-1.5e3"));
  }

  @Test
  void answersNullForTextThatIsNotJson() {
    assertThat(Json.parse("{\"a\":")).isNull();
    assertThat(Json.parse("{} trailing")).isNull();
    assertThat(Json.object(Json.parse("[1]"))).isEmpty();
  }
}
