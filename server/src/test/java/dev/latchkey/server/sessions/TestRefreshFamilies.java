package dev.latchkey.server.sessions;

import java.util.List;

/**
 * Refresh families for tests that decide without a database ({@link RefreshPolicyTest}): the short
 * forms the main record does without (it has one constructor, the one the store fills). Each
 * family's tokens carry no {@code amr} and it is not bound to a DPoP key.
 */
final class TestRefreshFamilies {
  private TestRefreshFamilies() {}

  /** A family of an enabled user. */
  static RefreshFamily family(
      String sid,
      String userId,
      long idleExpiresAt,
      long absoluteExpiresAt,
      Long revokedAt,
      String refreshHash,
      long rotatedAt,
      long lastUsedAt) {
    return family(
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

  /** A family whose user is disabled now, or not ({@code userDisabled}). */
  static RefreshFamily family(
      String sid,
      String userId,
      long idleExpiresAt,
      long absoluteExpiresAt,
      Long revokedAt,
      String refreshHash,
      long rotatedAt,
      long lastUsedAt,
      boolean userDisabled) {
    return new RefreshFamily(
        sid,
        userId,
        idleExpiresAt,
        absoluteExpiresAt,
        revokedAt,
        refreshHash,
        rotatedAt,
        lastUsedAt,
        userDisabled,
        List.of(),
        null);
  }
}
