/**
 * Moderation as a contract: a {@link dev.llmgateway.moderation.Moderator} looks at a text and answers with
 * a {@link dev.llmgateway.moderation.ModerationResult} (a verdict, the flagged categories, scores and the
 * rule that matched). It lives in the API module, with no dependency beyond the JDK, so that a provider
 * module can offer a hosted moderator (OpenAI's moderation endpoint) and a host can bring its own
 * classifier, while the interceptor that applies moderators to calls lives in the middleware.
 */
@NullMarked
package dev.llmgateway.moderation;

import org.jspecify.annotations.NullMarked;
