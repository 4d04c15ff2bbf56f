package dev.llmgateway.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.RequestMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptRegistryTest {
  @TempDir Path dir;

  static final String SUMMARIZE = """
      name: summarize
      owner: search-team
      description: Summaries for search results.
      versions:
        - version: 1
          model: chat-fast
          messages:
            - system: You summarize documents.
            - user: "{{text}}"
        - version: 2
          model: chat-fast
          parameters:
            temperature: 0.2
            maxOutputTokens: 300
            stop: ["END"]
          variables: [text, language]
          messages:
            - system: |
                You summarize documents in {{language}}.
                {{> tone}}
            - user: "{{text}}"
        - version: 3
          model: chat-smart
          owner: research
          messages:
            - system: Summarize.
            - user: "{{text}}"
      """;

  Path write(String path, String content) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  PromptRegistry load() {
    return PromptRegistry.builder().loadDirectory(dir).build();
  }

  AbstractThrowableAssert<?, ? extends Throwable> assertLoadFails() {
    return assertThatThrownBy(this::load).isInstanceOf(PromptDefinitionException.class);
  }

  void withTone() throws IOException {
    write("partials/tone.mustache", "Be brief.\n");
  }

  @Test
  void loadsEveryVersionWithItsFields() throws IOException {
    withTone();
    write("summarize.yaml", SUMMARIZE);
    PromptRegistry registry = load();
    assertThat(registry.names()).containsExactly("summarize");
    assertThat(registry.versions("summarize")).extracting(Prompt::version).containsExactly(1, 2, 3);
    Prompt v2 = registry.get("summarize@2");
    assertThat(v2.modelGroup()).isEqualTo("chat-fast");
    assertThat(v2.owner()).isEqualTo("search-team");
    assertThat(v2.description()).isEqualTo("Summaries for search results.");
    assertThat(v2.parameters().temperature()).isEqualTo(0.2);
    assertThat(v2.parameters().maxOutputTokens()).isEqualTo(300);
    assertThat(v2.parameters().stop()).containsExactly("END");
    assertThat(v2.toRequest(Map.of("text", "doc", "language", "French")).messages().get(0).text())
        .isEqualTo("You summarize documents in French.\nBe brief.\n");
    assertThat(registry.get("summarize@3").owner()).isEqualTo("research");
  }

  @Test
  void theHighestVersionIsCurrentWhenNoneIsMarked() throws IOException {
    withTone();
    write("summarize.yaml", SUMMARIZE);
    assertThat(load().get("summarize").ref()).isEqualTo("summarize@3");
  }

  @Test
  void theVersionMarkedCurrentIsCurrent() throws IOException {
    withTone();
    write("summarize.yaml", SUMMARIZE.replace("  - version: 2\n", "  - version: 2\n    current: true\n"));
    PromptRegistry registry = load();
    assertThat(registry.get("summarize").ref()).isEqualTo("summarize@2");
    assertThat(registry.select("summarize", RequestMetadata.EMPTY).prompt().ref()).isEqualTo("summarize@2");
  }

  @Test
  void codeCanMarkAVersionCurrent() {
    PromptRegistry registry = PromptRegistry.builder().add(PromptTest.summarize(1))
        .add(PromptTest.summarize(2)).current("summarize@1").build();
    assertThat(registry.get("summarize").version()).isEqualTo(1);
    assertThatThrownBy(() -> PromptRegistry.builder().add(PromptTest.summarize(1)).current("summarize@5")
        .build()).isInstanceOf(PromptDefinitionException.class).hasMessageContaining("summarize@5");
    assertThatThrownBy(() -> PromptRegistry.builder().current("summarize"))
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("name@version");
  }

  @Test
  void twoVersionsMarkedCurrentAreAnError() throws IOException {
    withTone();
    write("summarize.yaml", SUMMARIZE.replace("  - version: 2\n", "  - version: 2\n    current: true\n")
        .replace("  - version: 3\n", "  - version: 3\n    current: true\n"));
    assertLoadFails().hasMessageContaining("summarize.yaml").hasMessageContaining("versions[2].current")
        .hasMessageContaining("[summarize@2, summarize@3]");
  }

  @Test
  void codeAndYamlMarkingDifferentVersionsCurrentIsAnError() throws IOException {
    withTone();
    write("summarize.yaml", SUMMARIZE.replace("  - version: 2\n", "  - version: 2\n    current: true\n"));
    assertThatThrownBy(() -> PromptRegistry.builder().loadDirectory(dir).current("summarize@1").build())
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("more than one version");
  }

  @Test
  void unknownPromptsAndVersionsAreNamed() {
    PromptRegistry registry = PromptRegistry.builder().add(PromptTest.summarize(1)).build();
    assertThatThrownBy(() -> registry.get("translate"))
        .isInstanceOfSatisfying(UnknownPromptException.class, e -> assertThat(e.ref()).isEqualTo("translate"))
        .hasMessageContaining("'translate'");
    assertThatThrownBy(() -> registry.get("summarize@7"))
        .isInstanceOf(UnknownPromptException.class).hasMessageContaining("no version 7")
        .hasMessageContaining("[1]");
    assertThatThrownBy(() -> registry.get("summarize@x")).isInstanceOf(UnknownPromptException.class)
        .hasMessageContaining("malformed");
    assertThatThrownBy(() -> registry.get("summarize@0")).isInstanceOf(UnknownPromptException.class);
    assertThatThrownBy(() -> registry.versions("nope")).isInstanceOf(UnknownPromptException.class);
  }

  @Test
  void codeAndYamlPromptsMix() throws IOException {
    withTone();
    write("summarize.yaml", SUMMARIZE);
    PromptRegistry registry = PromptRegistry.builder().loadDirectory(dir)
        .add(Prompt.builder("greet", 1).modelGroup("m").user("Hi {{name}}").build()).build();
    assertThat(registry.names()).containsExactly("greet", "summarize");
  }

  @Test
  void partialsComeFromTheFolderOrFromCodeAndNest() throws IOException {
    write("partials/style/formal.mustache", "Formally, for {{audience}}.");
    write("p.yaml", """
        name: p
        versions:
          - version: 1
            model: m
            messages:
              - system: "{{> style/formal}} {{> house}}"
        """);
    PromptRegistry registry = PromptRegistry.builder().loadDirectory(dir).partial("house", "House rules.")
        .build();
    assertThat(registry.get("p").toRequest(Map.of("audience", "lawyers")).messages().get(0).text())
        .isEqualTo("Formally, for lawyers. House rules.");
  }

  @Test
  void ignoresOtherFiles() throws IOException {
    withTone();
    write("summarize.yaml", SUMMARIZE);
    write("README.md", "not a prompt");
    write(".hidden.yaml", "not: [valid");
    write("partials/notes.txt", "ignored");
    assertThat(load().names()).containsExactly("summarize");
  }

  @Test
  void loadsFilesInSubfolders() throws IOException {
    withTone();
    write("search/summarize.yml", SUMMARIZE);
    assertThat(load().names()).containsExactly("summarize");
  }

  // ---- load-time checks ----

  @Test
  void rejectsUnknownFieldsNamingFileAndField() throws IOException {
    write("a.yaml", "name: a\nversion: 1\nversions: []\n");
    assertLoadFails().hasMessageContaining("a.yaml: version: unknown field");
    write("a.yaml", """
        name: a
        versions:
          - version: 1
            model: m
            parameters: {temprature: 0.5}
            messages: [{user: hi}]
        """);
    assertLoadFails().hasMessageContaining("a.yaml: versions[0].parameters.temprature: unknown field")
        .satisfies(e -> {
          PromptDefinitionException d = (PromptDefinitionException) e;
          assertThat(d.source()).endsWith("a.yaml");
          assertThat(d.field()).isEqualTo("versions[0].parameters.temprature");
        });
    write("a.yaml", """
        name: a
        versions:
          - version: 1
            model: m
            mdoel: m
            messages: [{user: hi}]
        """);
    assertLoadFails().hasMessageContaining("versions[0].mdoel: unknown field");
    write("a.yaml", """
        name: a
        versions:
          - version: 1
            model: m
            messages: [{human: hi}]
        """);
    assertLoadFails().hasMessageContaining("versions[0].messages[0].human: unknown field");
  }

  @Test
  void rejectsMissingRequiredFields() throws IOException {
    write("a.yaml", "versions: []\n");
    assertLoadFails().hasMessageContaining("a.yaml: name: missing required field");
    write("a.yaml", "name: a\n");
    assertLoadFails().hasMessageContaining("a.yaml: versions: missing required field");
    write("a.yaml", "name: a\nversions: []\n");
    assertLoadFails().hasMessageContaining("a.yaml: versions: must not be empty");
    write("a.yaml", "name: a\nversions:\n  - model: m\n    messages: [{user: hi}]\n");
    assertLoadFails().hasMessageContaining("versions[0].version: missing required field");
    write("a.yaml", "name: a\nversions:\n  - version: 1\n    messages: [{user: hi}]\n");
    assertLoadFails().hasMessageContaining("versions[0].model: missing required field");
    write("a.yaml", "name: a\nversions:\n  - version: 1\n    model: m\n");
    assertLoadFails().hasMessageContaining("versions[0].messages: missing required field");
  }

  @Test
  void rejectsWrongTypesAndValues() throws IOException {
    write("a.yaml", "name: a\nversions:\n  - version: two\n    model: m\n    messages: [{user: hi}]\n");
    assertLoadFails().hasMessageContaining("versions[0].version: must be a whole number");
    write("a.yaml", "name: a\nversions:\n  - version: 0\n    model: m\n    messages: [{user: hi}]\n");
    assertLoadFails().hasMessageContaining("versions[0].version: must be at least 1");
    write("a.yaml", "name: a b\nversions:\n  - version: 1\n    model: m\n    messages: [{user: hi}]\n");
    assertLoadFails().hasMessageContaining("a.yaml: name: must be letters");
    write("a.yaml", """
        name: a
        versions:
          - version: 1
            model: m
            parameters: {temperature: -1}
            messages: [{user: hi}]
        """);
    assertLoadFails().hasMessageContaining("versions[0].parameters.temperature: must be a finite number");
    write("a.yaml", "name: a\nversions:\n  - version: 1\n    model: m\n    messages: [{user: hi, system: x}]\n");
    assertLoadFails().hasMessageContaining("versions[0].messages[0]: must have exactly one of");
    write("a.yaml", "- just\n- a list\n");
    assertLoadFails().hasMessageContaining("a.yaml: must be a mapping");
    write("a.yaml", "");
    assertLoadFails().hasMessageContaining("a.yaml: is empty");
  }

  @Test
  void yamlSyntaxErrorsNameTheLineButNotTheText() throws IOException {
    write("a.yaml", "name: a\nversions:\n  - version: 1\n    messages: [{user: \"secret words}\n");
    assertLoadFails().hasMessageContaining("a.yaml: is not valid YAML at line")
        .hasMessageNotContaining("secret words");
    write("a.yaml", "name: a\nname: b\nversions: []\n");
    assertLoadFails().hasMessageContaining("a.yaml: is not valid YAML").hasMessageContaining("name");
  }

  @Test
  void aVersionDefinedTwiceInOneFileIsAnError() throws IOException {
    write("a.yaml", """
        name: a
        versions:
          - {version: 1, model: m, messages: [{user: hi}]}
          - {version: 1, model: m, messages: [{user: hi}]}
        """);
    assertLoadFails().hasMessageContaining("a.yaml: versions[1].version: version 1 of 'a' is defined twice");
  }

  @Test
  void theSameVersionWithDifferentContentInTwoFilesIsAConflict() throws IOException {
    write("a.yaml", "name: a\nversions:\n  - {version: 1, model: m, messages: [{user: hi}]}\n");
    write("b.yaml", "name: a\nversions:\n  - {version: 1, model: m, messages: [{user: hello}]}\n");
    assertThatThrownBy(this::load).isInstanceOfSatisfying(PromptVersionConflictException.class, e -> {
      assertThat(e.ref()).isEqualTo("a@1");
      assertThat(e.source()).endsWith("b.yaml");
      assertThat(e).hasMessageContaining("a.yaml").hasMessageNotContaining("hello");
    });
  }

  @Test
  void theSameVersionWithTheSameContentFromTwoSourcesIsAccepted() throws IOException {
    write("a.yaml", "name: a\nowner: x\nversions:\n  - {version: 1, model: m, messages: [{user: hi}]}\n");
    write("b.yaml", "# a copy\nname: a\nversions:\n  - version: 1\n    model: m\n    messages:\n      - user: 'hi'\n");
    Prompt fromCode = Prompt.builder("a", 1).modelGroup("m").user("hi").build();
    PromptRegistry registry = PromptRegistry.builder().loadDirectory(dir).add(fromCode).build();
    assertThat(registry.versions("a")).hasSize(1);
    assertThat(registry.get("a@1").contentHash()).isEqualTo(fromCode.contentHash());
  }

  @Test
  void aCodePromptConflictingWithAFileIsAConflict() throws IOException {
    write("a.yaml", "name: a\nversions:\n  - {version: 1, model: m, messages: [{user: hi}]}\n");
    Prompt fromCode = Prompt.builder("a", 1).modelGroup("other").user("hi").build();
    assertThatThrownBy(() -> PromptRegistry.builder().loadDirectory(dir).add(fromCode).build())
        .isInstanceOf(PromptVersionConflictException.class).hasMessageContaining("a@1")
        .hasMessageContaining("a.yaml");
  }

  @Test
  void templateSyntaxErrorsNameFileAndMessage() throws IOException {
    write("a.yaml", """
        name: a
        versions:
          - version: 1
            model: m
            messages:
              - system: ok
              - user: "{{#items}}{{.}}{{/itemz}}"
        """);
    assertLoadFails().hasMessageContaining("a.yaml: versions[0].messages[1].user: template 'a@1 messages[1]'"
        + " does not compile");
  }

  @Test
  void anUnknownPartialIsAnError() throws IOException {
    write("a.yaml", "name: a\nversions:\n  - {version: 1, model: m, messages: [{user: '{{> missing}}'}]}\n");
    assertLoadFails().hasMessageContaining("a.yaml: versions[0].messages[0].user")
        .hasMessageContaining("partial 'missing', which does not exist");
  }

  @Test
  void aBrokenPartialNamesItsFile() throws IOException {
    write("partials/tone.mustache", "{{#open}}");
    assertLoadFails().hasMessageContaining("tone.mustache").hasMessageContaining("does not compile");
  }

  @Test
  void aVariableUsedButNotDeclaredIsAnErrorNamingThePartial() throws IOException {
    write("partials/footer.mustache", "Answer in {{lenguage}}.");
    write("a.yaml", """
        name: a
        versions:
          - version: 1
            model: m
            variables: [text, language]
            messages:
              - system: "{{> footer}}"
              - user: "{{text}} {{language}}"
        """);
    assertLoadFails().hasMessageContaining("a.yaml: versions[0].messages[0].system: uses variable "
        + "'lenguage' (through partial 'footer'), which is not among the declared variables [language, text]");
  }

  @Test
  void namesUsedOnlyInsideASectionAreCheckedWhenRenderingNotAtLoad() throws IOException {
    write("s.yaml", """
        name: s
        versions:
          - version: 1
            model: m
            variables: [items]
            messages:
              - user: "{{#items}}\\n{{x}} in {{language}}\\n{{/items}}"
        """);
    Prompt prompt = load().get("s");

    assertThat(prompt.variables()).as("language is looked up in each item first").containsExactly("items");
    assertThatThrownBy(() -> prompt.toRequest(Map.of("items", java.util.List.of(Map.of("x", "a"))),
        RequestMetadata.EMPTY))
        .isInstanceOfSatisfying(MissingVariableException.class, e -> {
          assertThat(e.variables()).containsExactly("language");
          assertThat(e).hasMessageContaining("s@1 messages[0]:2");
        });
  }

  @Test
  void aDeclaredVariableNoMessageUsesIsAnError() throws IOException {
    write("a.yaml", """
        name: a
        versions:
          - version: 1
            model: m
            variables: [text, tone]
            messages:
              - user: "{{text}}"
        """);
    assertLoadFails().hasMessageContaining("versions[0].variables: declares variable 'tone', which no message uses");
  }

  @Test
  void partialsDefinedTwiceWithDifferentTextAreAnError() throws IOException {
    write("partials/tone.mustache", "Be brief.");
    assertThatThrownBy(() -> PromptRegistry.builder().partial("tone", "Be long.").loadDirectory(dir).build())
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("tone.mustache")
        .hasMessageContaining("partial 'tone'");
  }

  @Test
  void aMissingDirectoryIsAnError() {
    assertThatThrownBy(() -> PromptRegistry.builder().loadDirectory(dir.resolve("nope")).build())
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("no such directory");
  }

  @Test
  void defaultsToNotWritingTheLock() {
    assertThat(PromptRegistry.DEFAULT_UPDATE_LOCK).isFalse();
    PromptRegistry.builder().add(PromptTest.summarize(1)).build();
    assertThat(dir).isEmptyDirectory();
  }
}
