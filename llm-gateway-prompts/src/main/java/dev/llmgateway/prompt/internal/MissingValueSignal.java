package dev.llmgateway.prompt.internal;

import org.jspecify.annotations.Nullable;

/**
 * Thrown from inside a Mustache rendering when a variable cannot be resolved; caught at the top of the
 * rendering (through whatever mustache.java wraps it in) and turned into a
 * {@link dev.llmgateway.prompt.MissingVariableException}. Carries no stack trace: it is control flow.
 */
public final class MissingValueSignal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String variable;
  private final String location;

  public MissingValueSignal(String variable, String location) {
    super(variable + " at " + location, null, false, false);
    this.variable = variable;
    this.location = location;
  }

  /** The name as written in the tag, e.g. {@code title} or {@code user.name}. */
  public String variable() {
    return variable;
  }

  /** The template or partial and line, e.g. {@code summarize@3 messages[1]:4}. */
  public String location() {
    return location;
  }

  /** The signal in {@code error}'s cause chain, or null. */
  public static @Nullable MissingValueSignal find(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof MissingValueSignal signal) {
        return signal;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
