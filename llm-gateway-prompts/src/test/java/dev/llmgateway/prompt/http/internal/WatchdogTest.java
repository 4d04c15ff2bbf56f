package dev.llmgateway.prompt.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class WatchdogTest {
  private final Watchdog watchdog = new Watchdog();

  @Test
  void interruptsAThreadStillWaitingAtTheDeadlineAndClosingClearsTheInterrupt() {
    CountDownLatch never = new CountDownLatch(1);
    Watchdog.Watch watch = watchdog.watch(Duration.ofMillis(1));

    assertThatThrownBy(never::await).isInstanceOf(InterruptedException.class);
    watch.close();

    assertThat(watch.expired()).isTrue();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void aWatchClosedInTimeNeverInterrupts() {
    Watchdog.Watch watch = watchdog.watch(Duration.ofHours(1));
    watch.close();
    watch.close();

    assertThat(watch.expired()).isFalse();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void closingLeavesAnInterruptThatIsNotItsOwn() {
    Watchdog.Watch watch = watchdog.watch(Duration.ofHours(1));
    Thread.currentThread().interrupt();
    watch.close();

    assertThat(Thread.interrupted()).as("the host's interrupt survives").isTrue();
  }
}
