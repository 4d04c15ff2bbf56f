package dev.llmgateway.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.InvalidRequestException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {

  record Author(String name, String team) {}

  record Profile(String name, Optional<String> nickname) {}

  /** A bean: its getter is not a template variable. */
  static final class Bean {
    public String getName() {
      return "bean";
    }
  }

  @Test
  void rendersNamedVariables() {
    PromptTemplate t = PromptTemplate.compile("greet", "Hello {{name}}, welcome to {{place}}.");
    assertThat(t.render(Map.of("name", "Ada", "place", "Paris"))).isEqualTo("Hello Ada, welcome to Paris.");
  }

  @Test
  void doesNotEscapeHtml() {
    PromptTemplate t = PromptTemplate.compile("raw", "{{code}}|{{{code}}}|{{&code}}");
    String code = "<b>if (a && b) { x = \"y\" }</b> 'q'";
    assertThat(t.render(Map.of("code", code))).isEqualTo(code + "|" + code + "|" + code);
  }

  @Test
  void rendersValuesVerbatimEvenWhenTheyLookLikeMarkupOrTags() {
    PromptTemplate t = PromptTemplate.compile("verbatim", "[{{v}}]");
    for (String value : List.of("", " ", "<script>alert('x')</script>", "a & b", "\"quoted\"",
        "{{not a tag}}", "{{#s}}x{{/s}}", "line 1\nline 2\r\n", "back\\slash $1 %s", "\u00e9\u4e2d\ud83d\ude00",
        "\t\u0000")) {
      assertThat(t.render(Map.of("v", value))).isEqualTo("[" + value + "]");
    }
  }

  @Test
  void rendersSectionsOverListsMapsAndRecords() {
    PromptTemplate t = PromptTemplate.compile("list", """
        Examples:
        {{#examples}}
        - {{input}} => {{output}}
        {{/examples}}
        By {{author.name}} ({{#author}}{{team}}{{/author}})
        """);
    String out = t.render(Map.of(
        "examples", List.of(Map.of("input", "a", "output", "A"), Map.of("input", "b", "output", "B")),
        "author", new Author("Grace", "compilers")));
    assertThat(out).isEqualTo("""
        Examples:
        - a => A
        - b => B
        By Grace (compilers)
        """);
  }

  @Test
  void sectionsAreSwitchedOffByFalseEmptyOrNullAndInvertedSectionsOn() {
    PromptTemplate t = PromptTemplate.compile("optional", "{{#context}}Context: {{context}}\n{{/context}}"
        + "{{^context}}No context.\n{{/context}}Question: {{q}}");
    assertThat(t.render(Map.of("context", "the sky", "q", "why?")))
        .isEqualTo("Context: the sky\nQuestion: why?");
    assertThat(t.render(Map.of("context", false, "q", "why?"))).isEqualTo("No context.\nQuestion: why?");
    assertThat(t.render(Map.of("context", List.of(), "q", "why?"))).isEqualTo("No context.\nQuestion: why?");
    Map<String, Object> withNull = new HashMap<>();
    withNull.put("context", null);
    withNull.put("q", "why?");
    assertThat(t.render(withNull)).isEqualTo("No context.\nQuestion: why?");
  }

  @Test
  void namesInsideASectionFallBackToTheOuterScope() {
    PromptTemplate t = PromptTemplate.compile("scopes", "{{#items}}{{title}} by {{author}}; {{/items}}");
    assertThat(t.render(Map.of("items", List.of(Map.of("title", "A"), Map.of("title", "B", "author", "Bo")),
        "author", "Al"))).isEqualTo("A by Al; B by Bo; ");
  }

  @Test
  void aMissingVariableIsAnErrorNamingItAndTheTemplate() {
    PromptTemplate t = PromptTemplate.compile("summarize@3 messages[1]", "Summarize {{text}} in {{language}}.");
    assertThatThrownBy(() -> t.render(Map.of("text", "secret document")))
        .isInstanceOf(MissingVariableException.class)
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("summarize@3 messages[1]")
        .hasMessageContaining("language")
        .hasMessageNotContaining("secret document")
        .hasMessageNotContaining("Summarize")
        .satisfies(e -> {
          MissingVariableException m = (MissingVariableException) e;
          assertThat(m.variables()).containsExactly("language");
          assertThat(m.template()).isEqualTo("summarize@3 messages[1]");
        });
  }

  @Test
  void everyMissingTopLevelVariableIsNamedAtOnce() {
    PromptTemplate t = PromptTemplate.compile("t", "{{a}} {{b}} {{#c}}x{{/c}} {{d.e}}");
    assertThatThrownBy(() -> t.render(Map.of("b", 1)))
        .isInstanceOfSatisfying(MissingVariableException.class,
            e -> assertThat(e.variables()).containsExactlyInAnyOrder("a", "c", "d"));
  }

  @Test
  void aNullValueIsMissingForAValueTag() {
    Map<String, Object> variables = new HashMap<>();
    variables.put("name", null);
    PromptTemplate t = PromptTemplate.compile("t", "Hi {{name}}");
    assertThatThrownBy(() -> t.render(variables))
        .isInstanceOfSatisfying(MissingVariableException.class,
            e -> assertThat(e.variables()).containsExactly("name"));
  }

  @Test
  void aSectionOverAnAbsentKeyIsAnError() {
    PromptTemplate t = PromptTemplate.compile("t", "{{#examples}}{{.}}{{/examples}}{{^notes}}none{{/notes}}");
    assertThatThrownBy(() -> t.render(Map.of("notes", List.of())))
        .isInstanceOfSatisfying(MissingVariableException.class,
            e -> assertThat(e.variables()).containsExactly("examples"));
    assertThatThrownBy(() -> t.render(Map.of("examples", List.of("x"))))
        .isInstanceOfSatisfying(MissingVariableException.class,
            e -> assertThat(e.variables()).containsExactly("notes"));
  }

  @Test
  void aNameMissingInsideASectionIsNamedWithWhereItIsUsed() {
    PromptTemplate t = PromptTemplate.compile("t", "{{#items}}\n- {{title}}: {{summary}}\n{{/items}}");
    assertThatThrownBy(() -> t.render(Map.of("items", List.of(Map.of("title", "A")))))
        .isInstanceOfSatisfying(MissingVariableException.class, e -> {
          assertThat(e.variables()).containsExactly("summary");
          assertThat(e).hasMessageContaining("t:2");
        });
  }

  @Test
  void aMissingNestedPropertyIsNamedByItsDottedName() {
    PromptTemplate t = PromptTemplate.compile("t", "{{user.name}} from {{user.city}}");
    assertThatThrownBy(() -> t.render(Map.of("user", Map.of("name", "Ada"))))
        .isInstanceOfSatisfying(MissingVariableException.class,
            e -> assertThat(e.variables()).containsExactly("user.city"));
  }

  @Test
  void mapsDoNotExposeTheirMethodsAsVariables() {
    PromptTemplate t = PromptTemplate.compile("t", "{{#m}}{{size}}{{/m}}");
    assertThatThrownBy(() -> t.render(Map.of("m", Map.of("a", 1))))
        .isInstanceOfSatisfying(MissingVariableException.class,
            e -> assertThat(e.variables()).containsExactly("size"));
  }

  @Test
  void optionalsAreUnwrappedEmptyMissingForAValueAndFalseForASection() {
    PromptTemplate value = PromptTemplate.compile("t", "[{{x}}]");
    assertThat(value.render(Map.of("x", Optional.of("v")))).isEqualTo("[v]");
    assertThatThrownBy(() -> value.render(Map.of("x", Optional.empty())))
        .isInstanceOfSatisfying(MissingVariableException.class,
            e -> assertThat(e.variables()).containsExactly("x"));

    PromptTemplate section = PromptTemplate.compile("t", "{{#x}}on {{.}}{{/x}}{{^x}}off{{/x}}");
    assertThat(section.render(Map.of("x", Optional.of("v")))).isEqualTo("on v");
    assertThat(section.render(Map.of("x", Optional.empty()))).isEqualTo("off");
    assertThat(section.render(Map.of("x", Optional.of(List.of("a", "b"))))).isEqualTo("on aon b");

    PromptTemplate nested = PromptTemplate.compile("t",
        "{{p.name}}{{#p.nickname}} aka {{p.nickname}}{{/p.nickname}}");
    assertThat(nested.render(Map.of("p", new Profile("Ada", Optional.of("A"))))).isEqualTo("Ada aka A");
    assertThat(nested.render(Map.of("p", new Profile("Ada", Optional.empty())))).isEqualTo("Ada");
    assertThatThrownBy(() -> PromptTemplate.compile("t", "{{p.nickname}}")
        .render(Map.of("p", new Profile("Ada", Optional.empty()))))
        .isInstanceOfSatisfying(MissingVariableException.class,
            e -> assertThat(e.variables()).containsExactly("p.nickname"));
  }

  @Test
  void onlyMapKeysAndRecordComponentsAreNamesNotMethods() {
    assertMissing("{{#items}}[{{length}}]{{/items}}", Map.of("items", List.of("abc")), "length");
    assertMissing("{{#items}}[{{size}}]{{/items}}", Map.of("items", List.of(List.of(1))), "size");
    assertMissing("{{name.bytes}}", Map.of("name", "abc"), "name.bytes");
    assertMissing("{{u.hashCode}}", Map.of("u", new Author("a", "t")), "u.hashCode");
    assertMissing("{{#u}}{{toString}}{{/u}}", Map.of("u", new Author("a", "t")), "toString");
    assertMissing("{{b.name}}", Map.of("b", new Bean()), "b.name");
    assertMissing("{{items.0}}", Map.of("items", List.of("z")), "items.0");
    assertThat(PromptTemplate.compile("t", "{{u.name}}/{{#u}}{{team}}{{/u}}")
        .render(Map.of("u", new Author("Ada", "compilers")))).isEqualTo("Ada/compilers");
  }

  @Test
  void aDottedNameResolvesItsRestInsideItsFirstSegmentOnly() {
    PromptTemplate t = PromptTemplate.compile("t", "{{#items}}{{user.name}};{{/items}}");
    Map<String, Object> outer = Map.of("user", Map.of("name", "outer"));
    assertThat(t.render(Map.of("items", List.of(Map.of("user", Map.of("name", "inner"))), "user", outer)))
        .isEqualTo("inner;");
    assertThat(t.render(Map.of("items", List.of(Map.of("other", 1)), "user", Map.of("name", "outer"))))
        .as("a first segment the item lacks is looked up outwards").isEqualTo("outer;");
    assertThatThrownBy(() -> t.render(Map.of("items", List.of(Map.of("user", Map.of("id", 1))),
        "user", Map.of("name", "outer"))))
        .as("once the first segment is found, the rest does not fall back to outer scopes")
        .isInstanceOfSatisfying(MissingVariableException.class,
            e -> assertThat(e.variables()).containsExactly("user.name"));
  }

  @Test
  void valueTagsAreTheTopLevelValueNamesAsWritten() {
    PromptTemplate t = PromptTemplate.compile("t",
        "{{a}} {{{b.c}}} {{#list}}{{inner}}{{/list}} {{^flag}}{{&shown}}{{/flag}} {{.}} {{> p}}",
        Map.of("p", "{{fromPartial.x}}{{#s}}{{notTop}}{{/s}}"));
    assertThat(t.valueTags()).containsExactly("a", "b.c", "fromPartial.x", "shown");
    assertThat(t.variables()).containsExactly("a", "b", "flag", "fromPartial", "list", "s", "shown");
  }

  private static void assertMissing(String source, Map<String, ?> variables, String missing) {
    assertThatThrownBy(() -> PromptTemplate.compile("t", source).render(variables))
        .isInstanceOfSatisfying(MissingVariableException.class,
            e -> assertThat(e.variables()).containsExactly(missing));
  }

  @Test
  void includesPartialsAndListsTheirVariables() {
    Map<String, String> partials = Map.of(
        "tone", "Be {{tone}}.{{> signature}}",
        "signature", " -- {{team}}",
        "unused", "{{nothing}}");
    PromptTemplate t = PromptTemplate.compile("t", "Summarize {{text}}.\n{{> tone}}\n", partials);
    assertThat(t.render(Map.of("text", "it", "tone", "brief", "team", "search")))
        // a standalone partial tag stands for the partial's lines, its own line break included
        .isEqualTo("Summarize it.\nBe brief. -- search");
    assertThat(t.variables()).containsExactly("team", "text", "tone");
    assertThat(t.variablesFromPartials()).containsOnly(Map.entry("team", "tone"), Map.entry("tone", "tone"));
    assertThat(t.partials()).containsOnlyKeys("tone", "signature");
  }

  @Test
  void aVariableMissingInAPartialIsNamedWithThePartial() {
    PromptTemplate t = PromptTemplate.compile("t", "{{#items}}{{> item}}{{/items}}",
        Map.of("item", "line\n{{title}}"));
    assertThatThrownBy(() -> t.render(Map.of("items", List.of(Map.of("name", "x")))))
        .isInstanceOfSatisfying(MissingVariableException.class, e -> {
          assertThat(e.variables()).containsExactly("title");
          assertThat(e).hasMessageContaining("item:2");
        });
  }

  @Test
  void anUnknownPartialIsACompileError() {
    assertThatThrownBy(() -> PromptTemplate.compile("t", "{{> header}} text", Map.of("footer", "f")))
        .isInstanceOf(PromptDefinitionException.class)
        .hasMessageContaining("template 't' includes partial 'header', which does not exist")
        .hasMessageContaining("[footer]");
  }

  @Test
  void aSyntaxErrorNamesTheTemplateAndLineButNotTheText() {
    assertThatThrownBy(() -> PromptTemplate.compile("summarize@2 messages[0]",
        "Confidential instructions\n{{#items}}\n{{title}}\n{{/item}}"))
        .isInstanceOf(PromptDefinitionException.class)
        .hasMessageContaining("summarize@2 messages[0]")
        .hasMessageContaining(":4")
        .hasMessageNotContaining("Confidential");
    assertThatThrownBy(() -> PromptTemplate.compile("t", "{{#open}} never closed"))
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("'open'");
    assertThatThrownBy(() -> PromptTemplate.compile("t", "{{name"))
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("t:1");
  }

  @Test
  void standaloneTagsLeaveNoBlankLines() {
    PromptTemplate t = PromptTemplate.compile("t", "A\n{{#on}}\nB\n{{/on}}\n{{^on}}\nX\n{{/on}}\n{{> p}}\nC\n",
        Map.of("p", "P\n"));
    assertThat(t.render(Map.of("on", true))).isEqualTo("A\nB\nP\nC\n");
  }

  @Test
  void variablesAreTheTopLevelNames() {
    PromptTemplate t = PromptTemplate.compile("t",
        "{{a}} {{b.c}} {{#list}}{{inner}}{{/list}} {{^flag}}{{shown}}{{/flag}} {{.}}");
    assertThat(t.variables()).containsExactly("a", "b", "flag", "list", "shown");
  }

  @Test
  void rendersConcurrentlyWithEachCallersOwnValues() throws Exception {
    PromptTemplate t = PromptTemplate.compile("t", "{{#items}}{{name}}-{{id}};{{/items}}{{who}}",
        Map.of());
    int threads = 8;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
      for (int n = 0; n < threads; n++) {
        int id = n;
        results.add(pool.submit(() -> {
          start.await();
          boolean ok = true;
          for (int i = 0; i < 200; i++) {
            // maps on one thread, records on another: lookups must not be cached across shapes
            Object item = id % 2 == 0 ? Map.of("name", "n" + id) : new Author("n" + id, "t");
            String out = t.render(Map.of("items", List.of(item), "id", id, "who", "w" + id));
            ok &= out.equals("n" + id + "-" + id + ";w" + id);
          }
          return ok;
        }));
      }
      start.countDown();
      for (java.util.concurrent.Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void describesItselfWithoutItsText() {
    PromptTemplate t = PromptTemplate.compile("t", "Top secret {{x}}");
    assertThat(t.toString()).isEqualTo("PromptTemplate[t]").doesNotContain("secret");
    assertThat(t.name()).isEqualTo("t");
    assertThat(t.source()).isEqualTo("Top secret {{x}}");
  }

  @Test
  void templatesAreEqualByNameSourceAndPartials() {
    assertThat(PromptTemplate.compile("t", "{{> p}}", Map.of("p", "x")))
        .isEqualTo(PromptTemplate.compile("t", "{{> p}}", Map.of("p", "x", "q", "y")))
        .isNotEqualTo(PromptTemplate.compile("t", "{{> p}}", Map.of("p", "z")))
        .hasSameHashCodeAs(PromptTemplate.compile("t", "{{> p}}", Map.of("p", "x")));
  }
}
