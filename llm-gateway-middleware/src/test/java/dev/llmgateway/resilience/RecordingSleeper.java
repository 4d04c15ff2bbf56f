package dev.llmgateway.resilience;

import dev.llmgateway.CallContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.llmgateway.testkit.ManualClock;

/** Records every wait and moves a test clock instead of sleeping. */
final class RecordingSleeper implements Sleeper {
  final List<Duration> waits = new CopyOnWriteArrayList<>();
  private final ManualClock clock;

  RecordingSleeper(ManualClock clock) {
    this.clock = clock;
  }

  @Override
  public void sleep(Duration duration, CallContext context) {
    waits.add(duration);
    clock.advance(duration);
  }
}
