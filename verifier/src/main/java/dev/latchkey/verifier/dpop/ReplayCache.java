package dev.latchkey.verifier.dpop;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * The proof identifiers seen within the last {@code lifetime}, in this process only, bounded. When
 * it is full of live entries, new proofs are refused rather than an entry forgotten early (a
 * forgotten proof could be replayed).
 *
 * <p>Compact, about 32 bytes an entry when full (bench's {@code ReplayCacheBytes}): an identifier
 * is kept as the first 128 bits of SHA-256(salt ‖ identifier), two longs, with its expiry, in a
 * ring buffer in insertion order (every entry lives as long, so the oldest is always the next to
 * expire), found through an open-addressing index of ring positions (linear probing, at most half
 * full, backward-shift deletion: no tombstones). The same identifier always has the same digest, so
 * a replay is never taken for a first use; a first use refused as a replay would need two
 * identifiers whose digests agree in 128 bits, a SHA-256 prefix collision. The salt is random per
 * cache so that nobody can choose the index slots of their proofs (identifiers ground to share one
 * probe chain would slow every lookup near it).
 *
 * <p>The arrays grow by doubling up to the bound, so a verifier that sees little DPoP (or a test
 * that builds hundreds) does not hold the bound's memory (32 MB at the default); they never shrink,
 * so after a burst the cache keeps the memory of the most entries it held at once. One lock: a use
 * is a digest (outside it) and a few probes.
 */
final class ReplayCache implements DpopReplayStore {
  /**
   * At most 2^29 entries: the index, a power of two at least twice that, is then 2^30 slots, the
   * largest power of two an array can have; 2^29 entries would take about 17 GB.
   */
  static final int MAX_ENTRIES = 1 << 29;

  private static final int INITIAL_CAPACITY = 256;

  private final int maxEntries;
  private final long lifetimeNanos;
  private final LongSupplier ticker;
  private final byte[] salt = new byte[16];

  // The ring: entry k (0 = oldest) at position (head + k) mod capacity.
  private long[] his;
  private long[] los;
  private long[] expiries;
  private int head;
  private int size;

  // The index: per slot, the ring position of an entry + 1, or 0 when empty.
  private int[] index;
  private int mask;

  ReplayCache(int maxEntries, long lifetimeNanos, LongSupplier ticker) {
    if (maxEntries < 1 || maxEntries > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "the replay cache holds 1 to " + MAX_ENTRIES + " entries, not " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.lifetimeNanos = lifetimeNanos;
    this.ticker = ticker;
    new SecureRandom().nextBytes(salt);
    allocate(Math.min(maxEntries, INITIAL_CAPACITY));
  }

  /**
   * Records {@code id} unless it is already held (a replay) or the cache is full; every entry lives
   * the cache's lifetime on the monotonic ticker, whatever {@code rememberUntil} says.
   */
  @Override
  public Use use(String id, Instant rememberUntil) {
    return use(id);
  }

  Use use(String id) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e); // every JDK has it
    }
    sha256.update(salt);
    // The UTF-16 code units as they are: one input per string (UTF-8 would turn every lone
    // surrogate into the same '?').
    ByteBuffer chars = ByteBuffer.allocate(id.length() * 2);
    chars.asCharBuffer().put(id);
    ByteBuffer digest = ByteBuffer.wrap(sha256.digest(chars.array()));
    return use(digest.getLong(0), digest.getLong(8));
  }

  /** {@link #use(String)} on a digest given as it is: its low bits choose the index slot. */
  synchronized Use use(long hi, long lo) {
    long now = ticker.getAsLong();
    while (size > 0 && expiries[head] - now <= 0) {
      empty(slotOf(head));
      head = position(1);
      size--;
    }
    int slot = find(hi, lo);
    if (slot >= 0) {
      return Use.REPLAYED;
    }
    if (size >= maxEntries) {
      return Use.FULL;
    }
    if (size == his.length) {
      grow();
      slot = find(hi, lo);
    }
    int at = position(size);
    his[at] = hi;
    los[at] = lo;
    expiries[at] = now + lifetimeNanos;
    index[-slot - 1] = at + 1;
    size++;
    return Use.FIRST;
  }

  /** The entries held, expired ones not yet dropped included. */
  synchronized int size() {
    return size;
  }

  /** The slot of the entry (hi, lo), or −1 − the empty slot where its probe ended. */
  private int find(long hi, long lo) {
    for (int s = home(lo); ; s = (s + 1) & mask) {
      int at = index[s] - 1;
      if (at < 0) {
        return -s - 1;
      }
      if (los[at] == lo && his[at] == hi) {
        return s;
      }
    }
  }

  /** The slot pointing at ring position {@code at}, which is held. */
  private int slotOf(int at) {
    int s = home(los[at]);
    while (index[s] != at + 1) {
      s = (s + 1) & mask;
    }
    return s;
  }

  /**
   * Empties {@code hole}, moving back each later entry of its run whose probe passes through the
   * hole (home at or before it, cyclically), so every entry stays reachable from its home without
   * crossing an empty slot.
   */
  private void empty(int hole) {
    for (int s = (hole + 1) & mask; index[s] != 0; s = (s + 1) & mask) {
      int home = home(los[index[s] - 1]);
      if (((s - home) & mask) >= ((s - hole) & mask)) {
        index[hole] = index[s];
        hole = s;
      }
    }
    index[hole] = 0;
  }

  private int home(long lo) {
    return (int) lo & mask;
  }

  /** The ring position of entry {@code k} (0 = oldest). */
  private int position(int k) {
    int at = head + k;
    return at >= his.length ? at - his.length : at;
  }

  private void grow() {
    long[] oldHis = his;
    long[] oldLos = los;
    long[] oldExpiries = expiries;
    int oldHead = head;
    allocate((int) Math.min(2L * oldHis.length, maxEntries));
    for (int k = 0; k < size; k++) {
      int from = oldHead + k < oldHis.length ? oldHead + k : oldHead + k - oldHis.length;
      his[k] = oldHis[from];
      los[k] = oldLos[from];
      expiries[k] = oldExpiries[from];
      index[-find(his[k], los[k]) - 1] = k + 1;
    }
  }

  private void allocate(int capacity) {
    his = new long[capacity];
    los = new long[capacity];
    expiries = new long[capacity];
    head = 0;
    index = new int[Integer.highestOneBit(2 * capacity - 1) << 1];
    mask = index.length - 1;
  }
}
