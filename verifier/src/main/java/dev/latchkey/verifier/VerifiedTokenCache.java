package dev.latchkey.verifier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * A bounded map from the SHA-256 of a token to its verified result, on Caffeine: admission and
 * eviction by W-TinyLFU (under churn a new token does not displace the ones that keep coming back,
 * and an insert costs O(1) however full the cache is), each entry expiring at its token's {@code
 * exp}. The token itself is never stored (a heap dump holds no bearer tokens).
 *
 * <p>What the cache must never do is serve what a full verification would refuse. The verifier
 * re-checks the time claims and revocation (feed and hook) on every hit, and asks the key source
 * before every lookup; this class adds that {@link #clear} (a key was removed) wins over every
 * verification that was in flight when it ran: {@link #put} gets the {@link #generation} read
 * before the verification started, and an entry put by a verification that a clear overtook is
 * removed again. A cache of size 0 holds nothing: its key of every token is null.
 *
 * <p>Once the cache is full, a token enters only at its second verification within a short while
 * ({@link #seenOnce}): when tokens do not repeat (more users than the cache holds), every insert
 * would evict an entry that might have been hit and keep one that will not, and the inserts,
 * evictions and the promoted garbage cost more than the hits save. Until the cache is full every
 * verified token enters at once.
 */
final class VerifiedTokenCache {
  /** 256-bit digest as four longs: cheap equals and hash. */
  private record Key(long a, long b, long c, long d) {}

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  /** Null when the cache is off. */
  private final Cache<Key, VerifiedToken> cache;

  private final Clock clock;
  private final AtomicLong generation = new AtomicLong();
  private final long maxEntries;

  /**
   * A fingerprint of the last token that missed at each slot: a token found here missed before,
   * recently enough that no other token took its slot. Races only lose or admit an entry.
   */
  private final AtomicLongArray seenOnce;

  /**
   * @param clock the wall clock of {@code exp}
   * @param ticker the monotonic nanosecond ticker the entries' lifetimes run on
   */
  VerifiedTokenCache(int maxEntries, Clock clock, LongSupplier ticker) {
    this.clock = clock;
    this.maxEntries = maxEntries;
    this.seenOnce =
        new AtomicLongArray(Math.max(1, Integer.highestOneBit(Math.max(1, maxEntries))));
    this.cache =
        maxEntries == 0
            ? null
            : Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(Expiry.<Key, VerifiedToken>creating((k, t) -> lifetime(t)))
                .ticker(ticker::getAsLong)
                .executor(Runnable::run)
                .build();
  }

  /** Until the token's {@code exp} on the wall clock; zero when it has passed. */
  private Duration lifetime(VerifiedToken token) {
    Duration left = Duration.between(clock.instant(), token.expiresAt());
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** The key of {@code token}, or null when the cache is off. */
  Object keyOf(String token) {
    if (cache == null) {
      return null;
    }
    MessageDigest md = SHA256.get();
    byte[] h = md.digest(token.getBytes(StandardCharsets.UTF_8));
    ByteBuffer b = ByteBuffer.wrap(h);
    return new Key(b.getLong(), b.getLong(), b.getLong(), b.getLong());
  }

  VerifiedToken get(Object key) {
    return key == null ? null : cache.getIfPresent((Key) key);
  }

  void remove(Object key) {
    if (key != null) {
      cache.invalidate((Key) key);
    }
  }

  /** Read before a verification whose result may be {@link #put}. */
  long generation() {
    return generation.get();
  }

  /**
   * Caches {@code token} unless it has expired, or the cache was cleared since {@code
   * generationBefore} was read (the verification may have used a key removed meanwhile).
   */
  void put(Object key, VerifiedToken token, long generationBefore) {
    if (key == null || lifetime(token).isZero() || !admits((Key) key)) {
      return;
    }
    cache.put((Key) key, token);
    if (generation.get() != generationBefore) {
      cache.invalidate((Key) key);
    }
  }

  private boolean admits(Key key) {
    if (cache.estimatedSize() < maxEntries) {
      return true;
    }
    int slot = (int) key.a() & (seenOnce.length() - 1);
    if (seenOnce.get(slot) == key.b()) {
      return true;
    }
    seenOnce.set(slot, key.b());
    return false;
  }

  /** Drops every entry, and every entry being put by a verification already under way. */
  void clear() {
    generation.incrementAndGet();
    if (cache != null) {
      cache.invalidateAll();
    }
  }

  /** Entries held, after pending evictions and expiries have run (for tests). */
  long size() {
    if (cache == null) {
      return 0;
    }
    cache.cleanUp();
    return cache.estimatedSize();
  }
}
