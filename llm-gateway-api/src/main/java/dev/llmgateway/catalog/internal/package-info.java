/** Implementation detail of the model catalog (the CSV reader); not part of the API. */
@NullMarked
package dev.llmgateway.catalog.internal;

import org.jspecify.annotations.NullMarked;
