package dev.llmgateway.testkit.internal;

import dev.llmgateway.testkit.CapturedRequest;
import dev.llmgateway.testkit.FakeReply;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * The scripted replies, first in first out, and the default reply for when none is left. Thread-safe: each
 * request takes exactly one scripted reply, whatever the number of client threads.
 */
public final class ReplyQueue {

  private final Queue<FakeReply> scripted = new ConcurrentLinkedQueue<>();
  private final Function<CapturedRequest, FakeReply> defaultReply;

  public ReplyQueue(Function<CapturedRequest, FakeReply> defaultReply) {
    this.defaultReply = Objects.requireNonNull(defaultReply, "defaultReply");
  }

  public void enqueue(List<FakeReply> replies) {
    replies.forEach(reply -> scripted.add(Objects.requireNonNull(reply, "reply")));
  }

  public int pending() {
    return scripted.size();
  }

  /**
   * The reply to {@code request}: the next scripted one, or the default. A scripted completion without
   * content borrows the default reply's; a default reply without content borrows the built-in echo's.
   */
  public FakeReply next(CapturedRequest request) {
    FakeReply reply = scripted.poll();
    if (reply != null && (reply.kind() != FakeReply.Kind.COMPLETION || reply.hasContent())) {
      return reply;
    }
    FakeReply fallback = defaultReply(request);
    if (reply == null) {
      return fallback;
    }
    return withContentOf(reply,
        fallback.kind() == FakeReply.Kind.COMPLETION ? fallback : FakeReply.echo(request));
  }

  private FakeReply defaultReply(CapturedRequest request) {
    FakeReply reply = Objects.requireNonNull(defaultReply.apply(request),
        "the default reply function returned null");
    if (reply.kind() == FakeReply.Kind.COMPLETION && !reply.hasContent()) {
      return withContentOf(reply, FakeReply.echo(request));
    }
    return reply;
  }

  private static FakeReply withContentOf(FakeReply reply, FakeReply source) {
    FakeReply.Builder builder = reply.toBuilder();
    String text = source.text();
    if (text != null) {
      builder.text(text);
    }
    builder.toolCalls(source.toolCalls());
    if (reply.usage() == null && source.usage() != null) {
      builder.usage(source.usage());
    }
    String finishReason = source.finishReason();
    if (reply.finishReason() == null && finishReason != null) {
      builder.finishReason(finishReason);
    }
    return builder.build();
  }
}
