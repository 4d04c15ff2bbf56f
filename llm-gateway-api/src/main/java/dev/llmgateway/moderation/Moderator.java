package dev.llmgateway.moderation;

import dev.llmgateway.CallContext;
import dev.llmgateway.internal.Require;
import java.util.List;

/**
 * Decides whether a text may pass: a local word and pattern policy, a hosted classifier (OpenAI's
 * moderation endpoint in {@code llm-gateway-providers}), or the host's own model. Small enough for a
 * lambda:
 *
 * <pre>{@code
 * Moderator mine = text -> myClassifier.isToxic(text)
 *     ? ModerationResult.blocked("toxicity", "my-classifier")
 *     : ModerationResult.ALLOWED;
 * }</pre>
 *
 * <p>Implementations are thread-safe, never put the text into an exception message or a log line, and
 * report failures as {@link dev.llmgateway.error.LlmException}s. The gateway's moderation interceptor
 * calls {@link #moderate(String, CallContext)} on the call's thread, before the request is sent and as an
 * answer streams.
 */
@FunctionalInterface
public interface Moderator {

  /** Moderates {@code text}. Never null. */
  ModerationResult moderate(String text);

  /**
   * Moderates {@code text} as part of the call {@code context}. A moderator that makes a remote call
   * overrides this to honour the call's deadline and cancellation; the default ignores the context.
   */
  default ModerationResult moderate(String text, CallContext context) {
    return moderate(text);
  }

  /**
   * A moderator asking each of {@code moderators} in order and combining their results with
   * {@link ModerationResult#and}; it stops at the first {@link ModerationResult.Verdict#BLOCK}, so a cheap
   * local policy placed first spares a remote call.
   */
  static Moderator allOf(List<? extends Moderator> moderators) {
    List<Moderator> all = Require.copyOf(moderators, "moderators");
    Require.check(!all.isEmpty(), "moderators must not be empty");
    return new Moderator() {
      @Override
      public ModerationResult moderate(String text) {
        return moderate(text, CallContext.standalone(false));
      }

      @Override
      public ModerationResult moderate(String text, CallContext context) {
        ModerationResult combined = ModerationResult.ALLOWED;
        for (Moderator m : all) {
          ModerationResult r = Require.nonNull(m.moderate(text, context),
              "result of moderator " + m.getClass().getName());
          combined = combined.and(r);
          if (combined.blocks()) {
            break;
          }
        }
        return combined;
      }

      @Override
      public String toString() {
        return "Moderator.allOf" + all;
      }
    };
  }
}
