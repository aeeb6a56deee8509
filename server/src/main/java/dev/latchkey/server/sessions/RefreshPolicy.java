package dev.latchkey.server.sessions;

import java.util.Optional;

/**
 * The refresh decision as a pure function of what is stored about a presented token, the token and
 * the time:
 *
 * <ul>
 *   <li>a current token of a live session rotates, unless its family rotated less than {@code
 *       minInterval} ago: then it stays current and gets the current pair ({@link
 *       RefreshDecision.Keep});
 *   <li>a token spent within the grace interval gets the family's current token (parallel tabs);
 *   <li>any other spent token revokes the session (theft detection, RFC 9700), even the direct
 *       predecessor of a current token never used since: a thief who refreshed first looks exactly
 *       like a refresh whose answer was lost, and keeping the family alive would help only the
 *       thief (the owner logs in again either way);
 *   <li>nothing refreshes for a disabled user;
 *   <li>a family bound to a DPoP key is used only by a refresh that proved that key: any other is
 *       refused before anything else is decided, so it neither rotates, nor hands over, nor revokes
 *       (a stolen refresh token without the key does nothing at all).
 * </ul>
 */
final class RefreshPolicy {
  private final RefreshSettings settings;
  private final RefreshTokenChain chain;

  RefreshPolicy(RefreshSettings settings, RefreshTokenChain chain) {
    this.settings = settings;
    this.chain = chain;
  }

  /** Decides for a refresh without a DPoP proof. */
  RefreshDecision decide(String presented, StoredRefreshToken stored, long now) {
    return decide(presented, stored, now, null);
  }

  /**
   * @param proofKey the thumbprint of the key of the refresh's valid DPoP proof; null without one
   */
  RefreshDecision decide(String presented, StoredRefreshToken stored, long now, String proofKey) {
    RefreshFamily found =
        stored instanceof StoredRefreshToken.Current current
            ? current.family()
            : stored instanceof StoredRefreshToken.Spent spent ? spent.family() : null;
    if (found != null && !found.acceptsKey(proofKey)) {
      return new RefreshDecision.Reject(found.sid(), RefreshFailure.WRONG_DPOP_KEY);
    }
    if (stored instanceof StoredRefreshToken.Current current) {
      RefreshFamily family = current.family();
      if (family.userDisabled()) {
        return new RefreshDecision.Reject(family.sid(), RefreshFailure.USER_DISABLED);
      }
      if (!family.live(now)) {
        return new RefreshDecision.Reject(family.sid(), RefreshFailure.EXPIRED);
      }
      if (now - family.rotatedAt() < settings.minInterval().toMillis()) {
        return new RefreshDecision.Keep(family, presented);
      }
      long idle = Math.min(family.absoluteExpiresAt(), now + settings.idleLifetime().toMillis());
      return new RefreshDecision.Rotate(family, chain.child(presented), idle);
    }
    if (stored instanceof StoredRefreshToken.Spent spent) {
      return decideSpent(presented, spent.family(), spent.spentAt(), now);
    }
    return new RefreshDecision.Reject(
        ((StoredRefreshToken.Unknown) stored).sid(), RefreshFailure.UNKNOWN);
  }

  private RefreshDecision decideSpent(
      String presented, RefreshFamily family, long spentAt, long now) {
    if (family.revokedAt() != null) {
      return new RefreshDecision.Reject(family.sid(), RefreshFailure.REVOKED);
    }
    if (family.userDisabled()) {
      return new RefreshDecision.Reject(family.sid(), RefreshFailure.USER_DISABLED);
    }
    if (!family.live(now)) {
      return new RefreshDecision.Reject(family.sid(), RefreshFailure.EXPIRED);
    }
    if (family.refreshHash() == null) {
      return new RefreshDecision.RevokeFamily(family.sid());
    }
    if (now - spentAt <= settings.reuseGrace().toMillis()) {
      Optional<String> current = chain.descendantWithHash(presented, family.refreshHash());
      if (current.isPresent()) {
        return new RefreshDecision.HandOver(family, current.get());
      }
    }
    return new RefreshDecision.RevokeFamily(family.sid());
  }
}
