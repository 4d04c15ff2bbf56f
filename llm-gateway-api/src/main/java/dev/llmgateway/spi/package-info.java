/**
 * The provider SPI: what an adapter for a model API implements ({@link dev.llmgateway.spi.ChatProvider})
 * and how the gateway finds and configures it ({@link dev.llmgateway.spi.ChatProviderFactory}, through
 * {@link java.util.ServiceLoader}).
 */
@NullMarked
package dev.llmgateway.spi;

import org.jspecify.annotations.NullMarked;
