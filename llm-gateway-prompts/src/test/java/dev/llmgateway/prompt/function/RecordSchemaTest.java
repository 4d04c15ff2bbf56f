package dev.llmgateway.prompt.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmgateway.error.LlmConfigurationException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class RecordSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  enum Label { POSITIVE, NEGATIVE, NEUTRAL }

  record Sentiment(Label label, double confidence) {}

  record Scalars(String text, char letter, boolean flag, byte b, short s, int i, long l, Integer boxed,
      float f, Double d, BigDecimal money, UUID id, LocalDate day, Instant at) {}

  record Address(String city, @Nullable String zip) {}

  record Person(String name, Address home, List<Address> previous, Set<String> tags,
      @Nullable Address work, Optional<Integer> age, int[] scores, List<@Nullable String> notes) {}

  record WithMap(Map<String, Integer> counts) {}

  record Renamed(@JsonProperty("full_name") @JsonPropertyDescription("first and last name") String name,
      @JsonIgnore @Nullable String secret) {}

  record Loop(String name, List<Loop> children) {}

  record Untyped(Object anything) {}

  record Primitive(@LegacyNullable.Nullable int count) {}

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void derivesAStrictSchemaForARecordWithAnEnum() {
    RecordSchema<Sentiment> schema = RecordSchema.of(Sentiment.class);

    assertThat(schema.strict()).isEqualTo(RecordSchema.DEFAULT_STRICT).isTrue();
    assertThat(tree(schema.json())).isEqualTo(tree("""
        {"type":"object",
         "properties":{
           "label":{"type":"string","enum":["POSITIVE","NEGATIVE","NEUTRAL"]},
           "confidence":{"type":"number"}},
         "required":["label","confidence"],
         "additionalProperties":false}"""));
  }

  @Test
  void mapsScalarTypesToJsonTypesAndFormats() {
    JsonNode properties = RecordSchema.of(Scalars.class).node().get("properties");

    assertThat(properties.get("text").toString()).isEqualTo("{\"type\":\"string\"}");
    assertThat(properties.get("letter").toString()).isEqualTo("{\"type\":\"string\"}");
    assertThat(properties.get("flag").toString()).isEqualTo("{\"type\":\"boolean\"}");
    for (String integer : List.of("b", "s", "i", "l", "boxed")) {
      assertThat(properties.get(integer).toString()).as(integer).isEqualTo("{\"type\":\"integer\"}");
    }
    for (String number : List.of("f", "d", "money")) {
      assertThat(properties.get(number).toString()).as(number).isEqualTo("{\"type\":\"number\"}");
    }
    assertThat(properties.get("id").toString()).isEqualTo("{\"type\":\"string\",\"format\":\"uuid\"}");
    assertThat(properties.get("day").toString()).isEqualTo("{\"type\":\"string\",\"format\":\"date\"}");
    assertThat(properties.get("at").toString())
        .isEqualTo("{\"type\":\"string\",\"format\":\"date-time\"}");
  }

  @Test
  void inlinesNestedRecordsListsAndNullableComponents() {
    JsonNode schema = RecordSchema.of(Person.class).node();

    JsonNode properties = schema.get("properties");
    assertThat(schema.get("required")).extracting(JsonNode::asText)
        .as("strict mode lists every property as required, nullable ones too")
        .containsExactly("name", "home", "previous", "tags", "work", "age", "scores", "notes");
    assertThat(properties.get("home")).isEqualTo(tree("""
        {"type":"object",
         "properties":{"city":{"type":"string"},"zip":{"type":["string","null"]}},
         "required":["city","zip"],"additionalProperties":false}"""));
    assertThat(properties.get("previous").get("type").asText()).isEqualTo("array");
    assertThat(properties.get("previous").get("items")).isEqualTo(properties.get("home"));
    assertThat(properties.get("tags")).isEqualTo(tree("{\"type\":\"array\",\"items\":{\"type\":\"string\"}}"));
    assertThat(properties.get("work").get("type")).isEqualTo(tree("[\"object\",\"null\"]"));
    assertThat(properties.get("age")).isEqualTo(tree("{\"type\":[\"integer\",\"null\"]}"));
    assertThat(properties.get("scores")).isEqualTo(tree("{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}"));
    assertThat(properties.get("notes").get("items")).isEqualTo(tree("{\"type\":[\"string\",\"null\"]}"));
  }

  @Test
  void aNullableEnumAllowsNullAmongItsValues() {
    record MaybeLabel(@Nullable Label label) {}

    JsonNode label = RecordSchema.of(MaybeLabel.class).node().get("properties").get("label");

    assertThat(label).isEqualTo(tree(
        "{\"type\":[\"string\",\"null\"],\"enum\":[\"POSITIVE\",\"NEGATIVE\",\"NEUTRAL\",null]}"));
  }

  @Test
  void outsideStrictModeOnlyNonNullablePropertiesAreRequiredAndMapsAreAllowed() {
    RecordSchema<Address> address = RecordSchema.of(Address.class, false, PromptFunction.newObjectMapper());
    RecordSchema<WithMap> withMap = RecordSchema.of(WithMap.class, false, PromptFunction.newObjectMapper());

    assertThat(address.node().get("required")).isEqualTo(tree("[\"city\"]"));
    assertThat(address.node().get("additionalProperties").asBoolean(true)).isFalse();
    assertThat(withMap.node().get("properties").get("counts")).isEqualTo(tree(
        "{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}}"));
  }

  @Test
  void refusesAMapInStrictModeNamingTheComponent() {
    assertThatThrownBy(() -> RecordSchema.of(WithMap.class))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("WithMap.counts")
        .hasMessageContaining("strict");
  }

  @Test
  void followsJacksonNamesDescriptionsAndIgnoredComponents() {
    JsonNode schema = RecordSchema.of(Renamed.class).node();

    assertThat(schema.get("properties").fieldNames()).toIterable().containsExactly("full_name");
    assertThat(schema.get("properties").get("full_name").get("description").asText())
        .isEqualTo("first and last name");
  }

  @Test
  void refusesRecursiveRecordsUntypedComponentsAndNullablePrimitives() {
    assertThatThrownBy(() -> RecordSchema.of(Loop.class))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("Loop.children[]")
        .hasMessageContaining("recursive");
    assertThatThrownBy(() -> RecordSchema.of(Untyped.class))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("Untyped.anything")
        .hasMessageContaining("java.lang.Object is not supported");
    assertThatThrownBy(() -> RecordSchema.of(Primitive.class))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("Primitive.count")
        .hasMessageContaining("box");
  }

  @Test
  void validatesAMatchingDocument() {
    RecordSchema<Person> schema = RecordSchema.of(Person.class);

    assertThat(schema.validate(tree("""
        {"name":"Ada","home":{"city":"London","zip":null},"previous":[],"tags":["x"],
         "work":null,"age":36,"scores":[1,2],"notes":[null,"n"]}"""))).isEmpty();
  }

  @Test
  void reportsEachErrorWithItsJsonPointerAndNeverTheValue() {
    RecordSchema<Person> schema = RecordSchema.of(Person.class);

    List<String> errors = schema.validate(tree("""
        {"name":"Ada","home":{"zip":"SECRET-ZIP"},"previous":[{"city":7,"zip":null}],
         "tags":"SECRET-TAG","age":1.5,"scores":[1,4294967296],"notes":[],"extra":true}"""));

    assertThat(errors).containsExactly(
        "/home/city: required property is missing",
        "/previous/0/city: expected a string, found an integer",
        "/tags: expected an array, found a string",
        "/age: expected an integer, found a number",
        "/scores/1: expected an integer between -2147483648 and 2147483647",
        "/extra: unknown property");
    assertThat(String.join("\n", errors)).doesNotContain("SECRET");
  }

  @Test
  void reportsAnEnumValueOutsideTheSetAndANullWhereNoneIsAllowed() {
    RecordSchema<Sentiment> schema = RecordSchema.of(Sentiment.class);

    assertThat(schema.validate(tree("{\"label\":\"MAYBE\",\"confidence\":null}"))).containsExactly(
        "/label: expected one of POSITIVE, NEGATIVE, NEUTRAL",
        "/confidence: must not be null");
    assertThat(schema.validate(tree("[1]"))).containsExactly("/: expected an object, found an array");
  }

  @Test
  void checksTheFormOfFormattedStrings() {
    record When(LocalDate day, UUID id, char letter) {}

    assertThat(RecordSchema.of(When.class).validate(tree(
        "{\"day\":\"31/05/2024\",\"id\":\"nope\",\"letter\":\"ab\"}"))).containsExactly(
        "/day: expected an ISO-8601 date (2024-05-31)",
        "/id: expected a UUID",
        "/letter: expected a single character");
  }

  @Test
  void listsAtMostTwentyErrorsThenCountsTheRest() {
    record Many(List<Integer> values) {}
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      values.add("\"x\"");
    }

    List<String> errors = RecordSchema.of(Many.class)
        .validate(tree("{\"values\":[" + String.join(",", values) + "]}"));

    assertThat(errors).hasSize(21);
    assertThat(errors.get(20)).isEqualTo("(and 5 more)");
  }

  record Legacy(@LegacyNullable.Nullable String nickname, String name) {}

  record Bag(Set<Label> labels, String[] words, Map<String, List<Integer>> scores, BigDecimal price,
      Instant at) {}

  @Test
  void aDeclarationAnnotationNamedNullableMakesAComponentNullable() {
    RecordSchema<Legacy> schema = RecordSchema.of(Legacy.class);

    assertThat(schema.node().get("properties").get("nickname").get("type"))
        .isEqualTo(tree("[\"string\",\"null\"]"));
    assertThat(schema.validate(tree("{\"nickname\":null,\"name\":\"Ada\"}"))).isEmpty();
  }

  @Test
  void readsWhatItValidatesWithJackson() {
    RecordSchema<Bag> schema = RecordSchema.of(Bag.class, false, PromptFunction.newObjectMapper());
    List<String> errors = new ArrayList<>();

    Bag bag = schema.read(tree("""
        {"labels":["POSITIVE","POSITIVE"],"words":["a","b"],"scores":{"x":[1,2]},
         "price":"19.99","at":"2024-05-31T12:00:00Z"}"""), errors);
    Bag good = schema.read(tree("""
        {"labels":["POSITIVE","POSITIVE"],"words":["a","b"],"scores":{"x":[1,2]},
         "price":19.99,"at":"2024-05-31T12:00:00Z"}"""), errors);

    assertThat(bag).as("a price as a string is not a number").isNull();
    assertThat(errors).containsExactly("/price: expected a number, found a string");
    assertThat(good.labels()).containsExactly(Label.POSITIVE);
    assertThat(good.words()).containsExactly("a", "b");
    assertThat(good.scores()).containsEntry("x", List.of(1, 2));
    assertThat(good.price()).isEqualByComparingTo("19.99");
    assertThat(good.at()).isEqualTo(Instant.parse("2024-05-31T12:00:00Z"));
  }

  @Test
  void validatingDoesNotChangeTheDocument() {
    JsonNode document = tree("{\"city\":\"Paris\"}");

    assertThat(RecordSchema.of(Address.class).validate(document)).isEmpty();
    assertThat(document.toString()).isEqualTo("{\"city\":\"Paris\"}");
  }

  record Letters(char[] letters) {}

  record Page<T>(List<T> items) {}

  record UsesPage(Page<String> page) {}

  record Alarm(LocalTime at) {}

  @Test
  void refusesACharArrayWhichJacksonWritesAsAString() throws Exception {
    assertThat(PromptFunction.newObjectMapper().writeValueAsString(new Letters(new char[] {'a', 'b'})))
        .as("why: the schema could not describe what is written").isEqualTo("{\"letters\":\"ab\"}");
    assertThatThrownBy(() -> RecordSchema.of(Letters.class))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("Letters.letters: char[] is not supported");
  }

  @Test
  void aLocalTimeIsAStringWithoutTheTimeFormatWhichRequiresAnOffset() {
    RecordSchema<Alarm> schema = RecordSchema.of(Alarm.class);

    assertThat(schema.node().get("properties").get("at").toString()).isEqualTo("{\"type\":\"string\"}");
    assertThat(schema.validate(tree("{\"at\":\"13:45:00\"}"))).isEmpty();
    assertThat(schema.validate(tree("{\"at\":\"13:45:00Z\"}")))
        .containsExactly("/at: expected an ISO-8601 time (13:45:00)");
  }

  @Test
  void refusesGenericRecordsEvenWithAConcreteTypeArgument() {
    assertThatThrownBy(() -> RecordSchema.of(UsesPage.class))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("UsesPage.page.items[]: the type T is not concrete");
    assertThatThrownBy(() -> RecordSchema.of(Page.class))
        .isInstanceOf(LlmConfigurationException.class)
        .hasMessageContaining("Page.items[]: the type T is not concrete");
  }
}
