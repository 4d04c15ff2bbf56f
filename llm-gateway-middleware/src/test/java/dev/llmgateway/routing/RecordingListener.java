package dev.llmgateway.routing;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatEventListener;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.error.LlmException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records fallbacks and attempts as short strings, and the context of each finished call. */
final class RecordingListener implements ChatEventListener {
  final List<String> fallbacks = new CopyOnWriteArrayList<>();
  final List<String> attempts = new CopyOnWriteArrayList<>();
  final List<CallContext> ended = new CopyOnWriteArrayList<>();

  @Override
  public void onFallback(CallContext context, String fromGroup, String toGroup, LlmException cause) {
    fallbacks.add(fromGroup + "->" + toGroup + " (" + cause.getClass().getSimpleName() + ")");
  }

  @Override
  public void onAttempt(CallContext context, String provider, String model, int attempt) {
    attempts.add(provider + "/" + model);
  }

  @Override
  public void onCallEnd(CallContext context, ChatResponse response, Duration elapsed) {
    ended.add(context);
  }

  @Override
  public void onCallFailed(CallContext context, LlmException error, Duration elapsed) {
    ended.add(context);
  }
}
