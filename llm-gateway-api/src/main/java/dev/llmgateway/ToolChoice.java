package dev.llmgateway;

import dev.llmgateway.internal.Require;
import org.jspecify.annotations.Nullable;

/**
 * Whether and which tool the model must call.
 *
 * @param mode the policy
 * @param toolName the function to call when {@code mode} is {@link Mode#TOOL}; null otherwise
 */
public record ToolChoice(Mode mode, @Nullable String toolName) {

  /** The kinds of tool choice every provider can express. */
  public enum Mode {
    /** The model decides. */
    AUTO,
    /** The model must not call tools. */
    NONE,
    /** The model must call at least one tool. */
    REQUIRED,
    /** The model must call {@code toolName}. */
    TOOL
  }

  public ToolChoice {
    Require.nonNull(mode, "toolChoice.mode");
    Require.check((mode == Mode.TOOL) == (toolName != null && !toolName.isBlank()),
        "toolChoice.toolName must be set exactly when mode is TOOL");
  }

  public static ToolChoice auto() {
    return new ToolChoice(Mode.AUTO, null);
  }

  public static ToolChoice none() {
    return new ToolChoice(Mode.NONE, null);
  }

  public static ToolChoice required() {
    return new ToolChoice(Mode.REQUIRED, null);
  }

  public static ToolChoice tool(String name) {
    return new ToolChoice(Mode.TOOL, name);
  }
}
