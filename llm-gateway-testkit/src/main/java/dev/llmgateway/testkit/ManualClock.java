package dev.llmgateway.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that moves only when the test says so. Give it to whatever the gateway lets you set a
 * clock on (the router, cooldowns, budgets, rate limits, caches, the usage ledger) and move it with
 * {@link #advance}, so that cooldowns end, windows roll over and entries expire without a test sleeping.
 * Thread-safe; always in UTC.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * RouterInterceptor router = RouterInterceptor.builder().clock(clock)...build();
 * clock.advance(Duration.ofSeconds(31));   // the 30-second cooldown is over
 * }</pre>
 */
public final class ManualClock extends Clock {
  /** Where a clock made with {@link #ManualClock()} starts: {@code 2025-06-01T12:00:00Z}. */
  public static final Instant DEFAULT_START = Instant.parse("2025-06-01T12:00:00Z");

  private final AtomicReference<Instant> now;

  /** A clock at {@link #DEFAULT_START}. */
  public ManualClock() {
    this(DEFAULT_START);
  }

  /**
   * A clock at {@code start}; {@code new ManualClock(Instant.now())} when it must agree with what the
   * system clock stamps elsewhere (e.g. a call's start time).
   */
  public ManualClock(Instant start) {
    this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
  }

  /** Moves the clock forward (or back, for a negative {@code by}). */
  public void advance(Duration by) {
    Objects.requireNonNull(by, "by");
    now.updateAndGet(t -> t.plus(by));
  }

  /** Sets the clock to {@code instant}. */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** This clock: the time is the same in every zone, and a manual clock stays in UTC. */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public String toString() {
    return "ManualClock[" + now.get() + "]";
  }
}
