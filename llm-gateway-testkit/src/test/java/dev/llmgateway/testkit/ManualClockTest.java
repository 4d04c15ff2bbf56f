package dev.llmgateway.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ManualClockTest {

  @Test
  void startsAtTheDocumentedInstantAndMovesOnlyWhenTold() {
    ManualClock clock = new ManualClock();
    assertThat(ManualClock.DEFAULT_START).isEqualTo(Instant.parse("2025-06-01T12:00:00Z"));
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START);
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START);

    clock.advance(Duration.ofSeconds(90));
    assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(90));
    assertThat(clock.millis()).isEqualTo(ManualClock.DEFAULT_START.plusSeconds(90).toEpochMilli());

    clock.set(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
  }

  @Test
  void staysTheSameClockInAnyZone() {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-26T10:00:00Z"));
    assertThat(clock.withZone(ZoneId.of("Europe/Paris"))).isSameAs(clock);
    assertThat(clock.getZone()).isEqualTo(java.time.ZoneOffset.UTC);
  }
}
