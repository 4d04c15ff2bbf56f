/**
 * OpenAI's moderation endpoint as a {@link dev.llmgateway.moderation.Moderator}:
 * {@link dev.llmgateway.provider.openai.moderation.OpenAiModerator}. Use it with the middleware's
 * {@code ModerationInterceptor}, alone or after a local policy.
 */
@NullMarked
package dev.llmgateway.provider.openai.moderation;

import org.jspecify.annotations.NullMarked;
