package dev.llmgateway.prompt;

import dev.llmgateway.Role;

/**
 * One message of a prompt: who says it and the template of what is said. A prompt is a list of these
 * (a system message, few-shot examples as user and assistant turns, the user's turn), rendered in
 * order into a {@link dev.llmgateway.ChatRequest}.
 *
 * @param role {@link Role#SYSTEM}, {@link Role#USER} or {@link Role#ASSISTANT}; tool messages belong to a
 *     conversation, not to a prompt
 * @param template the text, with variables
 */
public record PromptMessage(Role role, PromptTemplate template) {

  public PromptMessage {
    if (role == null) {
      throw new PromptDefinitionException(null, "message.role", "must not be null");
    }
    if (role == Role.TOOL) {
      throw new PromptDefinitionException(null, "message.role",
          "must be system, user or assistant, was tool");
    }
    if (template == null) {
      throw new PromptDefinitionException(null, "message.template", "must not be null");
    }
  }
}
