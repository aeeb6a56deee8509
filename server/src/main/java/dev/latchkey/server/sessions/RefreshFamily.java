package dev.latchkey.server.sessions;

import java.util.List;

/**
 * A session as a refresh sees it: the family of refresh tokens is the session itself, and {@code
 * refreshHash} is the hash of its one current token ({@code null} once revoked); {@code rotatedAt}
 * when that token was issued, {@code lastUsedAt} when the family was last used (a rotation sets
 * both), {@code amr} how its user signed in (every token of the family carries it). Times are epoch
 * milliseconds.
 */
record RefreshFamily(
    String sid,
    String userId,
    long idleExpiresAt,
    long absoluteExpiresAt,
    Long revokedAt,
    String refreshHash,
    long rotatedAt,
    long lastUsedAt,
    List<String> amr) {

  /** A family whose tokens carry no {@code amr}. */
  RefreshFamily(
      String sid,
      String userId,
      long idleExpiresAt,
      long absoluteExpiresAt,
      Long revokedAt,
      String refreshHash,
      long rotatedAt,
      long lastUsedAt) {
    this(
        sid,
        userId,
        idleExpiresAt,
        absoluteExpiresAt,
        revokedAt,
        refreshHash,
        rotatedAt,
        lastUsedAt,
        List.of());
  }

  boolean live(long now) {
    return revokedAt == null && now < idleExpiresAt && now < absoluteExpiresAt;
  }
}
