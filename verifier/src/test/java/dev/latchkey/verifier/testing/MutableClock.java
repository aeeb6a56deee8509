package dev.latchkey.verifier.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock the test moves by hand: the wall clock ({@link #instant()}) and, moving with it, the
 * monotonic ticker ({@link #nanoTime()}, for {@code VerifierBuilder.ticker(clock::nanoTime)}).
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;

  public MutableClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  public static MutableClock startingNow() {
    return new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  }

  public void advance(Duration d) {
    now.updateAndGet(i -> i.plus(d));
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
