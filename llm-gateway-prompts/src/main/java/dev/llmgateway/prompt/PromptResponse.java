package dev.llmgateway.prompt;

import dev.llmgateway.ChatResponse;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A model's answer to a prompt, with what produced it: the prompt version, model group and experiment
 * variant. Why: an answer from an experiment is only useful when it can be told apart by variant.
 *
 * @param response the gateway's answer
 * @param selection the prompt version, model group and variant that were sent
 */
public record PromptResponse(ChatResponse response, PromptSelection selection) {

  public PromptResponse {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(selection, "selection");
  }

  /** The experiment variant's name; null outside an experiment. */
  public @Nullable String variant() {
    return selection.variant();
  }

  /** The answer's text: the assistant message's text parts joined. */
  public String text() {
    return response.message().text();
  }
}
