package dev.llmgateway.redaction;

import dev.llmgateway.AttributeKey;
import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Interceptor;
import dev.llmgateway.Message;
import dev.llmgateway.error.ErrorContext;
import dev.llmgateway.error.GuardRefusedException;
import dev.llmgateway.gateway.internal.Check;
import dev.llmgateway.redaction.internal.PlaceholderRestorer;
import dev.llmgateway.redaction.internal.PlaceholderVault;
import dev.llmgateway.redaction.internal.Redactor;
import dev.llmgateway.redaction.internal.RestoringChatStream;
import dev.llmgateway.redaction.internal.Tally;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps personal data and secrets in the application: redacts the request on the way in as its
 * {@link RedactionPolicy} says, and puts reversible placeholders back in the answer on the way out.
 *
 * <p>On the way in it redacts the text of every message (system prompts and earlier assistant turns
 * included), the arguments of tool calls and the content of tool results; tool JSON is redacted inside
 * its string literals, so it stays valid JSON. Images and thinking blocks pass unchanged. When a type
 * whose mode is {@link RedactionMode#REFUSE} is found, the call fails with a
 * {@link GuardRefusedException} naming the types (never the values) before anything is sent.
 *
 * <p>On the way out it restores {@link RedactionMode#PLACEHOLDER placeholders} in the answer's text, its
 * refusal and its tool-call arguments (JSON-escaped there). The placeholders live in the call's
 * {@link CallContext} and nowhere else: never logged, never in a {@code toString}, gone with the call. The
 * same value gets the same placeholder for the whole call, also when an outer interceptor proceeds more
 * than once.
 *
 * <p><b>Streaming rule:</b> streams are redacted exactly like blocking calls (redaction is never skipped
 * on the streaming path) and their chunks are restored as they are pulled. A placeholder split across
 * chunks is reassembled: only text that could still be the start of one of the call's placeholders is
 * held back, never more than the longest placeholder's length minus one, and it is let go at the next
 * chunk that rules it out, at the end of the text or tool call, and at the end of the stream. Nothing
 * else is buffered. A call with no placeholders gets the provider's stream untouched.
 *
 * <p>Place it after the guards and before limits, cache and router (the design's default order), so
 * that caches key on redacted prompts and nothing past it sees the raw values.
 */
public final class RedactionInterceptor implements Interceptor {

  /** What the interceptor found in the call; set on every call it handles. */
  public static final AttributeKey<RedactionReport> REPORT =
      AttributeKey.of("redaction.report", RedactionReport.class);
  private static final AttributeKey<PlaceholderVault> PLACEHOLDERS =
      AttributeKey.of("redaction.placeholders", PlaceholderVault.class);

  private final RedactionPolicy policy;
  private final Redactor redactor;

  public RedactionInterceptor(RedactionPolicy policy) {
    this.policy = Check.nonNull(policy, "policy");
    this.redactor = new Redactor(policy);
  }

  /** An interceptor with {@link RedactionPolicy#defaults()}. */
  public static RedactionInterceptor withDefaults() {
    return new RedactionInterceptor(RedactionPolicy.defaults());
  }

  public RedactionPolicy policy() {
    return policy;
  }

  @Override
  public ChatResponse intercept(ChatRequest request, Chain chain) {
    PlaceholderVault vault = vaultOf(chain.context());
    ChatResponse response = chain.proceed(redact(request, chain.context(), vault));
    return vault.isEmpty() ? response : restore(response, vault);
  }

  @Override
  public ChatStream interceptStream(ChatRequest request, StreamChain chain) {
    PlaceholderVault vault = vaultOf(chain.context());
    ChatStream stream = chain.proceed(redact(request, chain.context(), vault));
    return vault.isEmpty() ? stream : new RestoringChatStream(stream, vault);
  }

  private static PlaceholderVault vaultOf(CallContext context) {
    return context.computeIfAbsent(PLACEHOLDERS, key -> new PlaceholderVault());
  }

  private ChatRequest redact(ChatRequest request, CallContext context, PlaceholderVault vault) {
    Tally tally = new Tally();
    ChatRequest redacted = redactor.redact(request, vault, tally);
    context.put(REPORT, new RedactionReport(tally.found()));
    if (tally.anyRefused()) {
      throw new GuardRefusedException("the redaction policy refuses calls containing "
          + String.join(", ", tally.refused()), ErrorContext.of(null, request.model()), null);
    }
    return redacted;
  }

  private static ChatResponse restore(ChatResponse response, PlaceholderVault vault) {
    List<ContentPart> parts = new ArrayList<>(response.message().content().size());
    boolean changed = false;
    for (ContentPart part : response.message().content()) {
      ContentPart restored = part;
      if (part instanceof ContentPart.Text t) {
        String text = PlaceholderRestorer.restoreAll(t.text(), vault, false);
        restored = text.equals(t.text()) ? part : new ContentPart.Text(text);
      } else if (part instanceof ContentPart.ToolCall c) {
        String args = PlaceholderRestorer.restoreAll(c.arguments(), vault, true);
        restored = args.equals(c.arguments()) ? part : new ContentPart.ToolCall(c.id(), c.name(), args);
      }
      changed |= restored != part;
      parts.add(restored);
    }
    String refusal = response.refusal();
    String restoredRefusal = refusal == null ? null : PlaceholderRestorer.restoreAll(refusal, vault, false);
    changed |= refusal != null && !refusal.equals(restoredRefusal);
    if (!changed) {
      return response;
    }
    Message message = new Message(response.message().role(), parts, response.message().name());
    return response.toBuilder().message(message).refusal(restoredRefusal).build();
  }

  @Override
  public String toString() {
    return "RedactionInterceptor[" + policy + "]";
  }
}
