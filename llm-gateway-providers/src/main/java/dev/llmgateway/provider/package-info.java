/**
 * What the built-in adapters share and provider authors may reuse:
 * {@link dev.llmgateway.provider.HttpProviderBuilder}, the base of every HTTP adapter's builder (provider
 * name, API keys, extra headers, HTTP client, JSON mapper and the gateway's shared resources). The
 * adapters themselves live in the sub-packages.
 */
@NullMarked
package dev.llmgateway.provider;

import org.jspecify.annotations.NullMarked;
