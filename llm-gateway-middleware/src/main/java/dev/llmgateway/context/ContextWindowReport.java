package dev.llmgateway.context;

import dev.llmgateway.gateway.internal.Check;
import org.jspecify.annotations.Nullable;

/**
 * What the {@link ContextWindowInterceptor} found and did for one call, recorded in the call's
 * {@link dev.llmgateway.CallContext} under {@link ContextWindowInterceptor#REPORT} so that callers,
 * listeners and tests can see whether the conversation was changed, without comparing requests. When the
 * interceptor runs more than once in a call (placed after the router, once per deployment tried), the
 * report is that of the latest run.
 *
 * @param model the request's model, as the request named it (an alias, a group or {@code provider/model})
 * @param outcome what happened
 * @param contextWindow the model's context window in tokens; null when it is unknown
 * @param inputLimit the most input tokens the conversation may have: the window minus the output reserve
 *     and the safety margin (see {@link ContextWindowInterceptor}); null when the window is unknown
 * @param originalTokens the input tokens of the request as it arrived, by the interceptor's
 *     {@link dev.llmgateway.tokens.TokenCounter}
 * @param finalTokens the input tokens of the request sent on; for a refusal, of the smallest conversation
 *     the policy could make (the original one for {@link ContextWindowPolicy#REFUSE})
 * @param droppedMessages how many messages were taken out of the conversation, dropped or replaced by
 *     the summary; for a refusal, how many the policy would have taken out
 */
public record ContextWindowReport(String model, Outcome outcome, @Nullable Integer contextWindow,
    @Nullable Long inputLimit, long originalTokens, long finalTokens, int droppedMessages) {

  /** What the interceptor did with the conversation. */
  public enum Outcome {
    /** It fits: sent unchanged. */
    FITS,
    /** The model's window is unknown: sent unchanged ({@link UnknownModelPolicy#PASS_THROUGH}). */
    UNKNOWN_MODEL,
    /** The oldest turns were dropped ({@link ContextWindowPolicy#DROP_OLDEST}). */
    DROPPED_OLDEST,
    /** The older turns were replaced by a summary ({@link ContextWindowPolicy#SUMMARIZE}). */
    SUMMARIZED,
    /** The call was refused with a {@link dev.llmgateway.error.ContextLengthExceededException}. */
    REFUSED
  }

  public ContextWindowReport {
    Check.nonBlank(model, "model");
    Check.nonNull(outcome, "outcome");
    Check.that(contextWindow == null || contextWindow > 0, "contextWindow must be > 0, was "
        + contextWindow);
    Check.that((contextWindow == null) == (inputLimit == null),
        "inputLimit must be set exactly when contextWindow is");
    Check.that(inputLimit == null || inputLimit >= 0, "inputLimit must be >= 0, was " + inputLimit);
    Check.that(originalTokens >= 0 && finalTokens >= 0, "token counts must be >= 0");
    Check.that(droppedMessages >= 0, "droppedMessages must be >= 0, was " + droppedMessages);
  }

  /** Whether the request sent on differs from the one that arrived. */
  public boolean changed() {
    return outcome == Outcome.DROPPED_OLDEST || outcome == Outcome.SUMMARIZED;
  }

  /** Whether the older turns were replaced by a summary. */
  public boolean summarized() {
    return outcome == Outcome.SUMMARIZED;
  }
}
