package dev.latchkey.server.sessions;

import dev.latchkey.server.tokens.IssuedToken;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access token this instance issued last for each refresh family, answered again to a burst of
 * refreshes instead of signing a new one. A bound, not an eviction policy: a miss only costs a
 * signature.
 */
final class RecentAccessTokens {
  private static final int MAX = 10_000;

  private final Map<String, IssuedToken> bySid = new ConcurrentHashMap<>();

  IssuedToken remember(IssuedToken access) {
    if (bySid.size() >= MAX) {
      bySid.clear();
    }
    bySid.put(access.sid(), access);
    return access;
  }

  /**
   * The family's last token while more than {@code minLeftMillis} of its life is left, said to
   * expire in what is left; else {@code null}.
   */
  IssuedToken stillFresh(String sid, long now, long minLeftMillis) {
    IssuedToken recent = bySid.get(sid);
    if (recent == null) {
      return null;
    }
    long left = recent.expiresAt().toEpochMilli() - now;
    return left > minLeftMillis ? recent.expiringIn(left / 1000) : null;
  }
}
