/**
 * The HTTP face of prompt functions: {@link dev.llmgateway.prompt.http.FunctionEndpoint} serves
 * {@code POST /functions/{name}} (JSON in, JSON out, errors as RFC 9457 problem details) on the JDK's
 * built-in HTTP server, or inside a host's own server through its host-agnostic
 * {@link dev.llmgateway.prompt.http.FunctionEndpoint#handle handle} method. See {@code docs/prompts.md}.
 */
@NullMarked
package dev.llmgateway.prompt.http;

import org.jspecify.annotations.NullMarked;
