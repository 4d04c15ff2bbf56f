package dev.llmgateway.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptLockTest {
  @TempDir Path dir;

  static final String V1 = """
      name: greet
      owner: web
      versions:
        - version: 1
          model: chat-fast
          messages:
            - system: "{{> tone}}"
            - user: Say hello to {{name}}.
      """;
  static final String V2 = V1 + """
        - version: 2
          model: chat-fast
          messages:
            - user: Greet {{name}} warmly.
      """;

  Path lockFile() {
    return dir.resolve(PromptLock.DEFAULT_FILE_NAME);
  }

  void write(String path, String content) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  PromptRegistry load() {
    return PromptRegistry.builder().loadDirectory(dir).build();
  }

  PromptRegistry loadAndUpdateLock() {
    return PromptRegistry.builder().loadDirectory(dir).lockFile(lockFile()).updateLock(true).build();
  }

  void released(String yaml) throws IOException {
    write("partials/tone.mustache", "Be friendly.\n");
    write("greet.yaml", yaml);
    loadAndUpdateLock();
  }

  @Test
  void updateLockRecordsEveryVersionInASortedCommittableFile() throws IOException {
    released(V2);
    PromptRegistry registry = load();
    List<String> lines = Files.readAllLines(lockFile());
    assertThat(lines).filteredOn(l -> !l.startsWith("#")).containsExactly(
        "greet@1 " + registry.get("greet@1").contentHash(),
        "greet@2 " + registry.get("greet@2").contentHash());
    assertThat(PromptLock.read(lockFile())).isEqualTo(registry.lock());
  }

  @Test
  void changingAVersionsContentWithoutABumpFailsAtLoad() throws IOException {
    released(V1);
    write("greet.yaml", V1.replace("Say hello to", "Say hi to"));
    assertThatThrownBy(this::load).isInstanceOfSatisfying(PromptVersionConflictException.class, e -> {
      assertThat(e.ref()).isEqualTo("greet@1");
      assertThat(e.source()).endsWith("greet.yaml");
      assertThat(e).hasMessageContaining("greet@1").hasMessageContaining(lockFile().toString())
          .hasMessageContaining("without a version bump").hasMessageNotContaining("Say hi");
    });
    // updating the lock does not paper over it
    assertThatThrownBy(this::loadAndUpdateLock).isInstanceOf(PromptVersionConflictException.class);
  }

  @Test
  void changingAnIncludedPartialWithoutABumpFailsToo() throws IOException {
    released(V1);
    write("partials/tone.mustache", "Be curt.\n");
    assertThatThrownBy(this::load).isInstanceOf(PromptVersionConflictException.class)
        .hasMessageContaining("greet@1");
  }

  @Test
  void changingWhatIsNotContentIsFine() throws IOException {
    released(V1);
    write("greet.yaml", "# reformatted, new owner\n" + V1.replace("owner: web", "owner: platform")
        .replace("Say hello to {{name}}.", "'Say hello to {{name}}.'"));
    assertThat(load().get("greet@1").owner()).isEqualTo("platform");
  }

  @Test
  void aNewVersionIsAcceptedAndAddedOnlyWhenUpdating() throws IOException {
    released(V1);
    String before = Files.readString(lockFile());
    write("greet.yaml", V2);
    assertThat(load().get("greet").version()).isEqualTo(2);
    assertThat(Files.readString(lockFile())).isEqualTo(before);
    loadAndUpdateLock();
    assertThat(PromptLock.read(lockFile()).hashes()).containsOnlyKeys("greet@1", "greet@2");
  }

  @Test
  void aRemovedVersionStaysLockedSoItCannotComeBackChanged() throws IOException {
    released(V2);
    write("greet.yaml", V2.replace("""
          - version: 1
            model: chat-fast
            messages:
              - system: "{{> tone}}"
              - user: Say hello to {{name}}.
        """, ""));
    loadAndUpdateLock();
    assertThat(PromptLock.read(lockFile()).hashes()).containsKey("greet@1");
    write("greet.yaml", V2.replace("Say hello", "Wave"));
    assertThatThrownBy(this::load).isInstanceOf(PromptVersionConflictException.class)
        .hasMessageContaining("greet@1");
  }

  @Test
  void aLockFileElsewhereIsCheckedAndAMissingOneIsEmpty() throws IOException {
    Path elsewhere = dir.resolve("build/locks/prompts.lock");
    write("partials/tone.mustache", "Be friendly.\n");
    Path prompts = dir.resolve("greet.yaml");
    Files.writeString(prompts, V1);
    PromptRegistry.builder().loadDirectory(dir).lockFile(elsewhere).updateLock(true).build();
    assertThat(elsewhere).exists();
    Files.writeString(prompts, V1.replace("Say hello", "Wave"));
    assertThatThrownBy(() -> PromptRegistry.builder().loadDirectory(dir).lockFile(elsewhere).build())
        .isInstanceOf(PromptVersionConflictException.class).hasMessageContaining(elsewhere.toString());
    assertThat(PromptRegistry.builder().loadDirectory(dir).lockFile(dir.resolve("none.lock")).build()
        .names()).containsExactly("greet");
  }

  @Test
  void codePromptsAreCheckedAgainstTheLockToo() {
    Prompt v1 = Prompt.builder("p", 1).modelGroup("m").user("one").build();
    PromptRegistry.builder().add(v1).lockFile(lockFile()).updateLock(true).build();
    Prompt edited = Prompt.builder("p", 1).modelGroup("m").user("uno").build();
    assertThatThrownBy(() -> PromptRegistry.builder().add(edited).lockFile(lockFile()).build())
        .isInstanceOfSatisfying(PromptVersionConflictException.class,
            e -> assertThat(e.ref()).isEqualTo("p@1"));
  }

  @Test
  void updatingTheLockNeedsALockFile() {
    assertThatThrownBy(() -> PromptRegistry.builder().add(PromptTest.summarize(1)).updateLock(true).build())
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("lockFile");
  }

  @Test
  void twoLocksDisagreeingIsAConflict() throws IOException {
    write("prompts.lock", "greet@1 " + "a".repeat(64) + "\n");
    Path other = dir.resolve("other.lock");
    Files.writeString(other, "greet@1 " + "b".repeat(64) + "\n");
    write("partials/tone.mustache", "x");
    write("greet.yaml", V1);
    assertThatThrownBy(() -> PromptRegistry.builder().lockFile(other).loadDirectory(dir).build())
        .isInstanceOf(PromptVersionConflictException.class).hasMessageContaining("greet@1")
        .hasMessageContaining("other.lock");
  }

  @Test
  void parsesAndFormatsTheLockFile() {
    String text = """
        # comment
        b@10 %s

        b@2 %s
        a@1 %s
        """.formatted("1".repeat(64), "2".repeat(64), "3".repeat(64));
    PromptLock lock = PromptLock.parse(text, "test.lock");
    assertThat(lock.hashes().keySet()).containsExactly("a@1", "b@2", "b@10");
    assertThat(lock.hashOf("b@10")).isEqualTo("1".repeat(64));
    assertThat(lock.hashOf("c@1")).isNull();
    assertThat(lock.originOf("a@1")).isEqualTo("test.lock");
    assertThat(PromptLock.parse(lock.format(), "again")).isEqualTo(lock);
    assertThat(lock.format()).startsWith("#").endsWith("b@10 " + "1".repeat(64) + "\n");
    assertThat(PromptLock.empty().hashes()).isEmpty();
  }

  @Test
  void rejectsMalformedLockFilesNamingTheLine() {
    assertThatThrownBy(() -> PromptLock.parse("# ok\na@1 xyz\n", "bad.lock"))
        .isInstanceOf(PromptDefinitionException.class).hasMessageContaining("bad.lock: line 2");
    assertThatThrownBy(() -> PromptLock.parse("a@1 %s\na@1 %s\n".formatted("1".repeat(64), "2".repeat(64)),
        "dup.lock")).isInstanceOf(PromptDefinitionException.class)
        .hasMessageContaining("dup.lock: line 2: a@1 is listed twice");
  }

  @Test
  void withAddsNewVersionsAndRejectsChangedOnes() {
    Prompt v1 = Prompt.builder("p", 1).modelGroup("m").user("one").build();
    PromptLock lock = PromptLock.empty().with(List.of(v1));
    assertThat(lock.hashOf("p@1")).isEqualTo(v1.contentHash());
    lock.verify(v1, null);
    Prompt edited = Prompt.builder("p", 1).modelGroup("m").user("uno").build();
    assertThatThrownBy(() -> lock.with(List.of(edited))).isInstanceOf(PromptVersionConflictException.class);
    assertThatThrownBy(() -> lock.verify(edited, "p.yaml")).hasMessageStartingWith("p.yaml: p@1: ");
  }

  @Test
  void writeCreatesParentsAndReplaces() {
    Path file = dir.resolve("a/b/prompts.lock");
    PromptLock.empty().write(file);
    Prompt v1 = Prompt.builder("p", 1).modelGroup("m").user("one").build();
    PromptLock.empty().with(List.of(v1)).write(file);
    assertThat(PromptLock.read(file).hashes()).containsOnlyKeys("p@1");
  }
}
