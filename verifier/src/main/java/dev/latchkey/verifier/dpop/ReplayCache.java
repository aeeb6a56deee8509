package dev.latchkey.verifier.dpop;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The proof identifiers seen within the last {@code lifetime}, in this process only, bounded. When
 * it is full of live entries, new proofs are refused rather than an entry forgotten early (a
 * forgotten proof could be replayed). One lock around a hash map and an insertion-ordered queue:
 * every entry lives as long, so the queue's head is always the next to expire.
 */
final class ReplayCache implements DpopReplayStore {
  private record Entry(String id, long expiresAt) {}

  private final int maxEntries;
  private final long lifetimeNanos;
  private final LongSupplier ticker;
  private final Map<String, Long> live = new HashMap<>();
  private final ArrayDeque<Entry> byExpiry = new ArrayDeque<>();

  ReplayCache(int maxEntries, long lifetimeNanos, LongSupplier ticker) {
    this.maxEntries = maxEntries;
    this.lifetimeNanos = lifetimeNanos;
    this.ticker = ticker;
  }

  /**
   * Records {@code id} unless it is already held (a replay) or the cache is full; every entry lives
   * the cache's lifetime on the monotonic ticker, whatever {@code rememberUntil} says.
   */
  @Override
  public Use use(String id, Instant rememberUntil) {
    return use(id);
  }

  synchronized Use use(String id) {
    long now = ticker.getAsLong();
    while (!byExpiry.isEmpty() && byExpiry.peekFirst().expiresAt() - now <= 0) {
      Entry gone = byExpiry.pollFirst();
      live.remove(gone.id(), gone.expiresAt());
    }
    if (live.containsKey(id)) {
      return Use.REPLAYED;
    }
    if (live.size() >= maxEntries) {
      return Use.FULL;
    }
    long expiresAt = now + lifetimeNanos;
    live.put(id, expiresAt);
    byExpiry.addLast(new Entry(id, expiresAt));
    return Use.FIRST;
  }

  synchronized int size() {
    return live.size();
  }
}
