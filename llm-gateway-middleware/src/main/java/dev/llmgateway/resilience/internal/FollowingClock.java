package dev.llmgateway.resilience.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that shows the latest instant it was told about, never going back: how circuit breakers,
 * which read a {@link Clock}, keep the time of the router that calls them with {@code now}. Tests then
 * move breakers through their states by passing later instants, with no sleeps.
 */
public final class FollowingClock extends Clock {
  private final AtomicReference<Instant> latest;

  public FollowingClock(Instant start) {
    this.latest = new AtomicReference<>(start);
  }

  /** Moves the clock to {@code now}, unless it already shows a later instant. */
  public void advanceTo(Instant now) {
    latest.accumulateAndGet(now, (current, next) -> next.isAfter(current) ? next : current);
  }

  @Override
  public Instant instant() {
    return latest.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return Clock.fixed(instant(), zone);
  }
}
