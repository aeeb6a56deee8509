package dev.latchkey.server.sessions;

import java.util.List;

/**
 * A session as a refresh sees it: the family of refresh tokens is the session itself, and {@code
 * refreshHash} is the hash of its one current token ({@code null} once revoked); {@code rotatedAt}
 * when that token was issued, {@code lastUsedAt} when the family was last used (a rotation sets
 * both). Times are epoch milliseconds. {@code userDisabled}: whether its user is disabled now;
 * {@code amr}: how its user signed in (every token of the family carries it).
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
    boolean userDisabled,
    List<String> amr) {

  /** A family of an enabled user whose tokens carry no {@code amr}. */
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
        false,
        List.of());
  }

  /** A family whose tokens carry no {@code amr}. */
  RefreshFamily(
      String sid,
      String userId,
      long idleExpiresAt,
      long absoluteExpiresAt,
      Long revokedAt,
      String refreshHash,
      long rotatedAt,
      long lastUsedAt,
      boolean userDisabled) {
    this(
        sid,
        userId,
        idleExpiresAt,
        absoluteExpiresAt,
        revokedAt,
        refreshHash,
        rotatedAt,
        lastUsedAt,
        userDisabled,
        List.of());
  }

  boolean live(long now) {
    return revokedAt == null && now < idleExpiresAt && now < absoluteExpiresAt;
  }
}
