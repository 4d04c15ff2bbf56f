/**
 * What the gateway knows about models: context window, output limit, capabilities and prices per
 * million tokens ({@link dev.llmgateway.catalog.ModelCatalog}, {@link dev.llmgateway.catalog.ModelInfo}).
 *
 * <p>A catalog is advisory. The gateway uses it to refuse a request a known model cannot serve before
 * anything is sent, and cost accounting uses its prices; a model the catalog does not know is never
 * refused. The bundled catalog is a documented CSV resource ({@code dev/llmgateway/catalog/models.csv},
 * described in {@code docs/model-catalog.md}); users override or extend it from code or from their own
 * file. Prices are {@link java.math.BigDecimal}s so that cost arithmetic is exact.
 */
@NullMarked
package dev.llmgateway.catalog;

import org.jspecify.annotations.NullMarked;
