package dev.llmgateway.resilience;

import dev.llmgateway.CallContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every wait and moves a test clock instead of sleeping. */
final class RecordingSleeper implements Sleeper {
  final List<Duration> waits = new CopyOnWriteArrayList<>();
  private final TestClock clock;

  RecordingSleeper(TestClock clock) {
    this.clock = clock;
  }

  @Override
  public void sleep(Duration duration, CallContext context) {
    waits.add(duration);
    clock.advance(duration);
  }
}
