package dev.llmgateway.prompt;

import org.jspecify.annotations.Nullable;

/**
 * One prompt version, two contents: a version's content no longer matches the hash recorded for it in
 * the lock file (it was edited in place instead of getting a new version), or two sources define the
 * same {@code name@version} differently. A released version must always mean the same text, so that a
 * result, a usage record or an experiment can be traced to what was sent; change a prompt by adding a
 * version.
 */
public class PromptVersionConflictException extends PromptDefinitionException {
  private final String ref;

  /**
   * @param ref the version in conflict, {@code name@version}
   * @param source the file (or resource) that holds the conflicting version; null for code
   * @param message what conflicts with what
   */
  public PromptVersionConflictException(String ref, @Nullable String source, String message) {
    super(source, null, ref + ": " + message);
    this.ref = ref;
  }

  /** The version in conflict, {@code name@version}. */
  public String ref() {
    return ref;
  }
}
