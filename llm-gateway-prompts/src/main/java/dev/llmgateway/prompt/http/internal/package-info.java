/** Implementation detail of the function endpoint: routing, problem details; not part of the API. */
@NullMarked
package dev.llmgateway.prompt.http.internal;

import org.jspecify.annotations.NullMarked;
