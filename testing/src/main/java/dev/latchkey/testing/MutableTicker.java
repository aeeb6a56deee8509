package dev.latchkey.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A monotonic nanosecond ticker the test moves by hand (only forward), for {@code
 * VerifierBuilder.ticker(ticker)}: scheduling runs on it while the wall clock may step.
 */
public final class MutableTicker implements LongSupplier {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  /** Moves the ticker forward. */
  public void advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("a monotonic ticker never goes back");
    }
    nanos.addAndGet(by.toNanos());
  }

  @Override
  public long getAsLong() {
    return nanos.get();
  }
}
