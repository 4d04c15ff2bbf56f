package dev.llmgateway.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.RequestMetadata;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClasspathLoadingTest {
  static final String LIBRARY = "dev/llmgateway/prompt/library";

  @TempDir Path dir;

  @Test
  void loadsAFolderOfTheTestClasspath() {
    PromptRegistry registry = PromptRegistry.builder().loadClasspath(LIBRARY).build();
    assertThat(registry.names()).containsExactly("classify", "summarize");
    assertThat(registry.get("summarize").ref()).isEqualTo("summarize@2");
    assertThat(registry.get("summarize@3").modelGroup()).isEqualTo("chat-smart");
    assertThat(registry.get("summarize@2").toRequest(Map.of("text", "doc", "language", "English"))
        .messages().get(0).text()).isEqualTo("You summarize documents in English.\nBe brief and neutral.\n");
    assertThat(registry.get("classify").toRequest(Map.of("labels", List.of("bug", "billing"), "ticket", "t"))
        .messages().get(0).text()).isEqualTo("Classify the ticket into one of bug, billing, or other.");
    assertThat(registry.experiment("summarize").name()).isEqualTo("summarize-v3-trial");
    assertThat(registry.select("summarize", RequestMetadata.EMPTY.withUser("u")).assignment()).isNotNull();
  }

  @Test
  void leadingAndTrailingSlashesAreIgnored() {
    assertThat(PromptRegistry.builder().loadClasspath("/" + LIBRARY + "/").build().names())
        .containsExactly("classify", "summarize");
  }

  @Test
  void theClasspathFoldersLockIsEnforced() {
    PromptRegistry registry = PromptRegistry.builder().loadClasspath(LIBRARY).build();
    assertThat(registry.lock().hashes()).containsOnlyKeys("classify@1", "summarize@1", "summarize@2",
        "summarize@3");
    assertThat(registry.lock().originOf("summarize@1")).isEqualTo("classpath:" + LIBRARY + "/prompts.lock");
    // the same name@version with other content, from code, contradicts the lock
    Prompt edited = Prompt.builder("classify", 1).modelGroup("chat-fast").user("{{ticket}}").build();
    assertThatThrownBy(() -> PromptRegistry.builder().add(edited).loadClasspath(LIBRARY).build())
        .isInstanceOf(PromptVersionConflictException.class).hasMessageContaining("classify@1");
  }

  @Test
  void aMissingClasspathFolderIsAnError() {
    assertThatThrownBy(() -> PromptRegistry.builder().loadClasspath("no/such/prompts").build())
        .isInstanceOf(PromptDefinitionException.class)
        .hasMessageContaining("classpath:no/such/prompts: no such folder on the classpath");
  }

  @Test
  void loadsAFolderInsideAJar() throws IOException {
    Path jar = jar("prompts.jar", Map.of(
        "prompts/greet.yaml", "name: greet\nversions:\n  - {version: 1, model: m, messages: [{user: '{{> hi}} {{name}}'}]}\n",
        "prompts/partials/hi.mustache", "Hello",
        "prompts/notes.txt", "ignored",
        "other/x.yaml", "not: loaded"));
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      PromptRegistry registry = PromptRegistry.builder().loadClasspath("prompts", loader).build();
      assertThat(registry.names()).containsExactly("greet");
      assertThat(registry.get("greet").toRequest(Map.of("name", "Ada")).messages().get(0).text())
          .isEqualTo("Hello Ada");
    }
  }

  @Test
  void theLockInsideAJarIsEnforced() throws IOException {
    Path jar = jar("locked.jar", Map.of(
        "prompts/greet.yaml", "name: greet\nversions:\n  - {version: 1, model: m, messages: [{user: hi}]}\n",
        "prompts/prompts.lock", "greet@1 " + "0".repeat(64) + "\n"));
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      assertThatThrownBy(() -> PromptRegistry.builder().loadClasspath("prompts", loader).build())
          .isInstanceOfSatisfying(PromptVersionConflictException.class, e -> {
            assertThat(e.ref()).isEqualTo("greet@1");
            assertThat(e.source()).isEqualTo("classpath:prompts/greet.yaml");
            assertThat(e).hasMessageContaining("classpath:prompts/prompts.lock");
          });
    }
  }

  @Test
  void mergesTheFolderFromEveryJarThatHasIt() throws IOException {
    Path one = jar("one.jar", Map.of(
        "prompts/a.yaml", "name: a\nversions:\n  - {version: 1, model: m, messages: [{user: a}]}\n"));
    Path two = jar("two.jar", Map.of(
        "prompts/b.yaml", "name: b\nversions:\n  - {version: 1, model: m, messages: [{user: b}]}\n",
        "prompts/a.yaml", "name: a\nversions:\n  - {version: 2, model: m, messages: [{user: a2}]}\n"));
    try (URLClassLoader loader = new URLClassLoader(new URL[] {one.toUri().toURL(), two.toUri().toURL()},
        null)) {
      PromptRegistry registry = PromptRegistry.builder().loadClasspath("prompts", loader).build();
      assertThat(registry.names()).containsExactly("a", "b");
      assertThat(registry.versions("a")).extracting(Prompt::version).containsExactly(1, 2);
    }
  }

  private Path jar(String name, Map<String, String> entries) throws IOException {
    Path jar = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
      java.util.Set<String> folders = new java.util.HashSet<>();
      for (Map.Entry<String, String> e : new java.util.TreeMap<>(entries).entrySet()) {
        // directory entries, as jars built by Maven or Gradle have
        for (int slash = e.getKey().indexOf('/'); slash > 0; slash = e.getKey().indexOf('/', slash + 1)) {
          String folder = e.getKey().substring(0, slash + 1);
          if (folders.add(folder)) {
            jarOut.putNextEntry(new JarEntry(folder));
            jarOut.closeEntry();
          }
        }
        jarOut.putNextEntry(new JarEntry(e.getKey()));
        jarOut.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        jarOut.closeEntry();
      }
    }
    return jar;
  }
}
