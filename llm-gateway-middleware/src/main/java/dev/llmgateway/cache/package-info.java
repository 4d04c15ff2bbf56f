/**
 * Response caching. {@link dev.llmgateway.cache.CacheInterceptor} answers a request it has seen before,
 * keyed by a SHA-256 hash of the canonical request (tenant and answering model group included), from a
 * {@link dev.llmgateway.cache.CacheStore}; it coalesces identical concurrent misses into one provider
 * call. {@link dev.llmgateway.cache.SemanticCacheInterceptor} answers a request whose last user message
 * means the same as an earlier one, by cosine similarity of embeddings kept in a
 * {@link dev.llmgateway.cache.SemanticIndex}. Both serve blocking calls and streams: a hit replays a
 * stream, a miss tees it. The in-memory stores are the defaults; {@code llm-gateway-redis} implements
 * the same interfaces for many instances.
 *
 * <p>See {@code docs/caching.md}.
 */
@NullMarked
package dev.llmgateway.cache;

import org.jspecify.annotations.NullMarked;
