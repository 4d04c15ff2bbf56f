/**
 * The adapter for AWS Bedrock's Converse API ({@code POST /model/{modelId}/converse} and
 * {@code /converse-stream}): {@link dev.llmgateway.provider.bedrock.BedrockChatProvider}, configured with
 * its builder or created by {@link dev.llmgateway.provider.bedrock.BedrockProviderFactory} through
 * {@link java.util.ServiceLoader}. A module of its own so that the AWS signing library stays out of
 * applications that do not call Bedrock.
 */
@NullMarked
package dev.llmgateway.provider.bedrock;

import org.jspecify.annotations.NullMarked;
