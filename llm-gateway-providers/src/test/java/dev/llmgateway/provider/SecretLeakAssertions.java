package dev.llmgateway.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.error.LlmException;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Checks that secrets and prompt text appear nowhere in an exception: message, causes, trace, context. */
public final class SecretLeakAssertions {
  private SecretLeakAssertions() {}

  /** Fails when any of {@code forbidden} appears in {@code e}, its causes, its stack trace or context. */
  public static void assertShowsNone(String what, LlmException e, String... forbidden) {
    assertThat(e).as(what).isNotNull();
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    for (String secret : forbidden) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage())).as(what).doesNotContain(secret);
        assertThat(t.toString()).as(what).doesNotContain(secret);
      }
      assertThat(trace.toString()).as(what).doesNotContain(secret);
      assertThat(e.context().toString()).as(what).doesNotContain(secret);
    }
  }
}
