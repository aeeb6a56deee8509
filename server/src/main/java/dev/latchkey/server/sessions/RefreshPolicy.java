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
 *   <li>a token spent earlier that is the direct predecessor of the current token, while the
 *       current token was never used (the family shows no other use), is refused without revoking:
 *       most likely a refresh whose answer was lost, retried ({@link RefreshFailure#SUPERSEDED});
 *   <li>any other spent token revokes the session (theft detection).
 * </ul>
 */
final class RefreshPolicy {
  private final RefreshSettings settings;
  private final RefreshTokenChain chain;

  RefreshPolicy(RefreshSettings settings, RefreshTokenChain chain) {
    this.settings = settings;
    this.chain = chain;
  }

  RefreshDecision decide(String presented, StoredRefreshToken stored, long now) {
    if (stored instanceof StoredRefreshToken.Current current) {
      RefreshFamily family = current.family();
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
    // The current token is the presented one's child, and was issued by the rotation that spent
    // the presented one (so it has not been used to rotate since): the family shows no other use.
    if (family.rotatedAt() == spentAt
        && family.lastUsedAt() == family.rotatedAt()
        && RefreshTokenChain.hash(chain.child(presented)).equals(family.refreshHash())) {
      return new RefreshDecision.Reject(family.sid(), RefreshFailure.SUPERSEDED);
    }
    return new RefreshDecision.RevokeFamily(family.sid());
  }
}
