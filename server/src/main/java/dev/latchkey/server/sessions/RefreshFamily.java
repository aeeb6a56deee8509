package dev.latchkey.server.sessions;

/**
 * A session as a refresh sees it: the family of refresh tokens is the session itself, and {@code
 * refreshHash} is the hash of its one current token ({@code null} once revoked); {@code rotatedAt}
 * when that token was issued, {@code lastUsedAt} when the family was last used (a rotation sets
 * both). Times are epoch milliseconds. {@code userDisabled}: whether its user is disabled now.
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
    boolean userDisabled) {

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
        false);
  }

  boolean live(long now) {
    return revokedAt == null && now < idleExpiresAt && now < absoluteExpiresAt;
  }
}
