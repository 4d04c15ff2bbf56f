package dev.llmgateway.prompt;

import dev.llmgateway.CallOptions;
import dev.llmgateway.ChatClient;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.RequestMetadata;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Calls prompts by name through a {@link ChatClient} (usually the gateway, with its whole pipeline):
 * looks the prompt up in a {@link PromptRegistry}, applies its experiment, renders it and sends it.
 * Why: callers name what they want ({@code "summarize"}) and pass variables; which version, model group
 * and parameters answer is the prompt owner's decision, changed in the registry, not in every caller.
 *
 * <pre>{@code
 * PromptClient prompts = PromptClient.of(gateway, registry);
 * PromptResponse r = prompts.chat("summarize", Map.of("text", doc, "language", "French"),
 *     new RequestMetadata("acme", userId, "search-ui", Map.of()));
 * r.text(); r.selection().ref(); r.variant();
 * }</pre>
 *
 * <p>{@link #stream} sends the same request as a stream and returns it with its selection. Thread-safe.
 */
public final class PromptClient {
  private final ChatClient client;
  private final PromptRegistry registry;

  private PromptClient(ChatClient client, PromptRegistry registry) {
    this.client = client;
    this.registry = registry;
  }

  /** A client sending {@code registry}'s prompts through {@code client}. */
  public static PromptClient of(ChatClient client, PromptRegistry registry) {
    return new PromptClient(Objects.requireNonNull(client, "client"),
        Objects.requireNonNull(registry, "registry"));
  }

  public ChatClient client() {
    return client;
  }

  public PromptRegistry registry() {
    return registry;
  }

  /** As {@link #chat(String, Map, RequestMetadata, CallOptions)} with {@link CallOptions#DEFAULT}. */
  public PromptResponse chat(String ref, Map<String, ?> variables, RequestMetadata metadata) {
    return chat(ref, variables, metadata, CallOptions.DEFAULT);
  }

  /**
   * Sends the prompt {@code ref} ({@code "summarize"} for the current version or the experiment's
   * choice, {@code "summarize@3"} for that version) rendered with {@code variables}.
   *
   * @throws UnknownPromptException when the registry has no such prompt
   * @throws MissingVariableException when a variable is missing; nothing is sent
   */
  public PromptResponse chat(String ref, Map<String, ?> variables, RequestMetadata metadata,
      CallOptions options) {
    PromptSelection selection = registry.select(ref, metadata);
    ChatRequest request = selection.toRequest(variables, metadata);
    ChatResponse response = client.chat(request, options);
    return new PromptResponse(response, selection);
  }

  /** As {@link #chat(String, Map, RequestMetadata, CallOptions)}, without blocking the caller. */
  public CompletableFuture<PromptResponse> chatAsync(String ref, Map<String, ?> variables,
      RequestMetadata metadata, CallOptions options) {
    PromptSelection selection = registry.select(ref, metadata);
    ChatRequest request = selection.toRequest(variables, metadata);
    return client.chatAsync(request, options).thenApply(r -> new PromptResponse(r, selection));
  }

  /** As {@link #stream(String, Map, RequestMetadata, CallOptions)} with {@link CallOptions#DEFAULT}. */
  public PromptStream stream(String ref, Map<String, ?> variables, RequestMetadata metadata) {
    return stream(ref, variables, metadata, CallOptions.DEFAULT);
  }

  /**
   * Sends the prompt {@code ref} rendered with {@code variables} as a streaming call; the returned stream
   * says which version and variant were sent. Close it.
   *
   * @throws UnknownPromptException when the registry has no such prompt
   * @throws MissingVariableException when a variable is missing; nothing is sent
   */
  public PromptStream stream(String ref, Map<String, ?> variables, RequestMetadata metadata,
      CallOptions options) {
    PromptSelection selection = registry.select(ref, metadata);
    ChatRequest request = selection.toRequest(variables, metadata);
    return new PromptStream(client.stream(request, options), selection);
  }

  @Override
  public String toString() {
    return "PromptClient[" + registry + "]";
  }
}
