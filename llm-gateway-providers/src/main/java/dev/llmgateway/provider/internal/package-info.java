/**
 * Implementation detail shared by the provider adapters: wire decoders and HTTP plumbing. Not part of
 * the public API; it may change in any release.
 */
@NullMarked
package dev.llmgateway.provider.internal;

import org.jspecify.annotations.NullMarked;
