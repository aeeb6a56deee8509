package dev.latchkey.testing;

import java.util.function.BooleanSupplier;

/** Polls a condition that a background thread makes true (bounded; fails loudly). */
public final class Await {
  private Await() {}

  public static void until(BooleanSupplier condition) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 5 s");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
