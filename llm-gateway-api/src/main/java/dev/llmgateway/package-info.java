/**
 * The core of llm-gateway: the {@link dev.llmgateway.ChatClient} callers use, the immutable request and
 * response values it exchanges, the pull-based {@link dev.llmgateway.ChatStream}, and the
 * {@link dev.llmgateway.Interceptor} contract the pipeline is built from.
 *
 * <p>This module depends on the JDK only, so that a provider or interceptor written against it drags no
 * HTTP or JSON library into the host application.
 */
@NullMarked
package dev.llmgateway;

import org.jspecify.annotations.NullMarked;
