package dev.latchkey.server.sessions;

/**
 * A session as a refresh sees it: the family of refresh tokens is the session itself, and {@code
 * refreshHash} is the hash of its one current token ({@code null} once revoked); {@code rotatedAt}
 * when that token was issued, {@code lastUsedAt} when the family was last used (a rotation sets
 * both). Times are epoch milliseconds.
 */
record RefreshFamily(
    String sid,
    String userId,
    long idleExpiresAt,
    long absoluteExpiresAt,
    Long revokedAt,
    String refreshHash,
    long rotatedAt,
    long lastUsedAt) {

  boolean live(long now) {
    return revokedAt == null && now < idleExpiresAt && now < absoluteExpiresAt;
  }
}
