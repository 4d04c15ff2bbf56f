package dev.llmgateway.routing;

import dev.llmgateway.Attempt;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The attempts of one call, oldest first: what {@link RouterInterceptor#ATTEMPTS} holds in the call's
 * {@link dev.llmgateway.CallContext}, for interceptors and listeners to read (e.g. in
 * {@code onCallEnd}). The gateway copies it onto the call's final {@link dev.llmgateway.ChatResponse}
 * ({@link dev.llmgateway.ChatResponse#attempts()}). Thread-safe: attempts may end on other threads (a
 * stream consumed elsewhere, a hedged attempt).
 */
public final class AttemptLog {
  private final CopyOnWriteArrayList<Attempt> attempts = new CopyOnWriteArrayList<>();

  /** Appends {@code attempt}. */
  public void add(Attempt attempt) {
    attempts.add(Objects.requireNonNull(attempt, "attempt"));
  }

  /** A snapshot of the attempts so far, oldest first. */
  public List<Attempt> attempts() {
    return List.copyOf(attempts);
  }

  /** How many attempts there were so far. */
  public int size() {
    return attempts.size();
  }

  @Override
  public String toString() {
    return "AttemptLog" + attempts;
  }
}
