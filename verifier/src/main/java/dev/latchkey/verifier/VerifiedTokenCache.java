package dev.latchkey.verifier;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded map from the SHA-256 of a token to its verified result. The token itself is never
 * stored (a heap dump holds no bearer tokens). Entries are dropped at exp; time claims are
 * re-checked by the verifier on every hit; the whole cache is cleared when a key is removed. A
 * cache of size 0 holds nothing: its key of every token is null.
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

  private final ConcurrentHashMap<Key, VerifiedToken> map;
  private final int maxEntries;

  VerifiedTokenCache(int maxEntries) {
    this.maxEntries = maxEntries;
    this.map = new ConcurrentHashMap<>(Math.min(maxEntries, 1024) * 2);
  }

  /** The key of {@code token}, or null when the cache is off. */
  Object keyOf(String token) {
    if (maxEntries == 0) {
      return null;
    }
    MessageDigest md = SHA256.get();
    byte[] h = md.digest(token.getBytes(StandardCharsets.ISO_8859_1));
    ByteBuffer b = ByteBuffer.wrap(h);
    return new Key(b.getLong(), b.getLong(), b.getLong(), b.getLong());
  }

  VerifiedToken get(Object key) {
    return key == null ? null : map.get((Key) key);
  }

  void remove(Object key) {
    if (key != null) {
      map.remove((Key) key);
    }
  }

  void put(Object key, VerifiedToken token, Instant now) {
    if (key == null) {
      return;
    }
    if (map.size() >= maxEntries) {
      evict(now);
    }
    map.put((Key) key, token);
  }

  void clear() {
    map.clear();
  }

  int size() {
    return map.size();
  }

  private void evict(Instant now) {
    map.values().removeIf(t -> !t.expiresAt().isAfter(now));
    Iterator<Key> it = map.keySet().iterator();
    while (map.size() >= maxEntries && it.hasNext()) {
      it.next();
      it.remove();
    }
  }
}
