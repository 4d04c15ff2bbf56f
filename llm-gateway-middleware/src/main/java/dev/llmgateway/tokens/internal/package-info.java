/** Implementation detail of {@link dev.llmgateway.tokens}: JSON scanning, image sizes, model families. */
@NullMarked
package dev.llmgateway.tokens.internal;

import org.jspecify.annotations.NullMarked;
