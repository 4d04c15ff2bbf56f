package dev.llmgateway.prompt.function;

import dev.llmgateway.Attempt;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.Cost;
import dev.llmgateway.Usage;
import dev.llmgateway.prompt.PromptSelection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link PromptFunction} call produced: the parsed value, and what it took to get it (the
 * gateway's response with its usage, cost and attempts; the prompt version, model group and experiment
 * variant that were sent). Why: a typed value alone cannot be billed, compared by variant or debugged.
 *
 * @param value the answer, parsed into the output record
 * @param response the gateway's response; its text is the JSON the value was read from
 * @param selection the prompt version, model group and experiment variant that were sent
 * @param <Out> the output record type
 */
public record FunctionResult<Out>(Out value, ChatResponse response, PromptSelection selection) {

  public FunctionResult {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(selection, "selection");
  }

  /** Tokens consumed, {@link Usage#ZERO} when unknown. */
  public Usage usage() {
    return response.usage();
  }

  /** What the call cost; null when unpriced. */
  public @Nullable Cost cost() {
    return response.cost();
  }

  /** The deployments the call was sent to, oldest first; empty when it was not routed. */
  public List<Attempt> attempts() {
    return response.attempts();
  }

  /** The prompt version that was sent, {@code name@version}. */
  public String promptRef() {
    return selection.ref();
  }

  /** The experiment variant's name; null outside an experiment. */
  public @Nullable String variant() {
    return selection.variant();
  }
}
