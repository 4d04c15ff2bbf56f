/**
 * HTTP plumbing every adapter shares: the gateway-wide OkHttp client and Jackson mapper, retry signals
 * read from response headers, the mapping of transport failures to the exception hierarchy, and a base
 * {@link dev.llmgateway.ChatStream} backed by a streaming OkHttp response. Not part of the public API.
 */
@NullMarked
package dev.llmgateway.provider.internal.http;

import org.jspecify.annotations.NullMarked;
