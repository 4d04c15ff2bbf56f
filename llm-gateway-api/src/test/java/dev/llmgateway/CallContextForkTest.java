package dev.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.error.UnsupportedFeatureException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallContextForkTest {
  private static final AttributeKey<String> KEY = AttributeKey.of("key", String.class);

  @Test
  void cancellingAForkLeavesTheCallRunning() {
    CallContext call = CallContext.create(CallOptions.withTimeout(Duration.ofSeconds(5)), ChatEventListener.NONE, true);
    CallContext attempt = call.fork();
    AtomicInteger attemptHooks = new AtomicInteger();
    attempt.onCancel(attemptHooks::incrementAndGet);

    attempt.cancel();

    assertThat(attempt.isCancelled()).isTrue();
    assertThat(attemptHooks).hasValue(1);
    assertThat(call.isCancelled()).isFalse();
  }

  @Test
  void cancellingTheCallCancelsEveryFork() {
    CallContext call = CallContext.standalone(false);
    CallContext first = call.fork();
    CallContext nested = first.fork();
    AtomicInteger hooks = new AtomicInteger();
    nested.onCancel(hooks::incrementAndGet);

    call.cancel();

    assertThat(first.isCancelled()).isTrue();
    assertThat(nested.isCancelled()).isTrue();
    assertThat(hooks).hasValue(1);
    assertThat(call.fork().isCancelled()).as("a fork of a cancelled call starts cancelled").isTrue();
  }

  @Test
  void aForkIsTheSameCallWithSharedAttributes() {
    CallContext call = CallContext.create(CallOptions.withTimeout(Duration.ofSeconds(5)), ChatEventListener.NONE, true);
    CallContext attempt = call.fork();

    attempt.put(KEY, "set by the attempt");

    assertThat(call.get(KEY)).isEqualTo("set by the attempt");
    assertThat(attempt.callId()).isEqualTo(call.callId());
    assertThat(attempt.options()).isSameAs(call.options());
    assertThat(attempt.events()).isSameAs(call.events());
    assertThat(attempt.startedAt()).isEqualTo(call.startedAt());
    assertThat(attempt.streaming()).isTrue();
    assertThat(attempt.isFork()).isTrue();
    assertThat(call.isFork()).isFalse();
    assertThat(attempt.toString()).contains("fork");
  }

  @Test
  void chainsThatCannotSwitchContextsSaySo() {
    CallContext call = CallContext.standalone(false);
    Interceptor.Chain chain = new Interceptor.Chain() {
      @Override
      public ChatResponse proceed(ChatRequest request) {
        throw new AssertionError();
      }

      @Override
      public CallContext context() {
        return call;
      }
    };
    assertThatThrownBy(() -> chain.withContext(call.fork()))
        .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("forked context");
  }

  @Test
  void anAttributeRemovedThroughAForkIsGoneForTheWholeCall() {
    CallContext call = CallContext.standalone(false);
    CallContext attempt = call.fork();
    call.put(KEY, "set by the call");

    attempt.remove(KEY);

    assertThat(call.get(KEY)).isNull();
    assertThat(attempt.get(KEY)).isNull();
    attempt.remove(KEY); // removing what is absent is fine
    assertThat(call.computeIfAbsent(KEY, k -> "again")).isEqualTo("again");
  }
}
