package dev.latchkey.server.sessions;

import java.util.List;

/**
 * A session as a refresh sees it: the family of refresh tokens is the session itself, and {@code
 * refreshHash} is the hash of its one current token ({@code null} once revoked); {@code rotatedAt}
 * when that token was issued, {@code lastUsedAt} when the family was last used (a rotation sets
 * both). Times are epoch milliseconds. {@code userDisabled}: whether its user is disabled now;
 * {@code amr}: how its user signed in (every token of the family carries it); {@code jkt}: the
 * thumbprint of the DPoP key the family is bound to (null: not bound).
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
    List<String> amr,
    String jkt) {

  /** The same family, bound to the DPoP key with thumbprint {@code key}. */
  RefreshFamily boundTo(String key) {
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
        amr,
        key);
  }

  /**
   * Whether a refresh that carried a proof of the key {@code proofKey} (null: no proof) may use
   * this family: any for a family not bound, the family's own key for a bound one.
   */
  boolean acceptsKey(String proofKey) {
    return jkt == null || jkt.equals(proofKey);
  }

  boolean live(long now) {
    return revokedAt == null && now < idleExpiresAt && now < absoluteExpiresAt;
  }
}
