/**
 * The Azure OpenAI adapter ({@link dev.llmgateway.provider.azure.AzureOpenAiChatProvider}): Chat Completions
 * on an Azure resource, by deployment URL or through the v1 surface, with an {@code api-key} or a
 * Microsoft Entra ID token, and Azure's content-filter annotations and errors; plus its
 * {@link dev.llmgateway.spi.ChatProviderFactory} for {@link java.util.ServiceLoader} discovery.
 */
@NullMarked
package dev.llmgateway.provider.azure;

import org.jspecify.annotations.NullMarked;
