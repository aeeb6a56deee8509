package dev.latchkey.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A wall clock the test moves by hand. {@link #nanoTime()} moves exactly with it, for tests that
 * want one time for both (pass {@code clock::nanoTime} as the ticker); tests of clock steps use a
 * separate {@link MutableTicker} instead.
 */
public final class MutableClock extends Clock {
  /** A fixed, readable start for tests that do not care which day it is. */
  public static final Instant STANDARD_START = Instant.parse("2026-03-01T10:00:00Z");

  private final AtomicReference<Instant> now;

  public MutableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** Starts at the real current time, whole seconds. */
  public static MutableClock startingNow() {
    return new MutableClock(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
  }

  /** Starts at {@link #STANDARD_START}. */
  public static MutableClock standard() {
    return new MutableClock(STANDARD_START);
  }

  /** Moves the clock; a negative duration steps it back. */
  public void advance(Duration by) {
    now.updateAndGet(i -> i.plus(by));
  }

  public void set(Instant instant) {
    now.set(instant);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  /** Nanoseconds since the epoch of the current instant: moves exactly as the clock does. */
  public long nanoTime() {
    return ChronoUnit.NANOS.between(Instant.EPOCH, now.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
