/**
 * Moderation in the pipeline: the {@link dev.llmgateway.moderation.policy.ModerationInterceptor} applies
 * any {@link dev.llmgateway.moderation.Moderator} to the request before it is sent and to the answer,
 * blocking or streamed in windows; the {@link dev.llmgateway.moderation.policy.LocalPolicyModerator} is a
 * moderator of word lists and patterns per category, each with an action (block, or flag and report
 * only). OpenAI's moderation endpoint is {@code OpenAiModerator} in {@code llm-gateway-providers}.
 *
 * <p>The contract ({@code Moderator}, {@code ModerationResult}) is the API module's package
 * {@code dev.llmgateway.moderation}; this package has its own name so that no package is split across
 * two jars (the jars carry automatic module names, and the module system refuses split packages).
 *
 * <p>See {@code docs/safety.md}.
 */
@NullMarked
package dev.llmgateway.moderation.policy;

import org.jspecify.annotations.NullMarked;
