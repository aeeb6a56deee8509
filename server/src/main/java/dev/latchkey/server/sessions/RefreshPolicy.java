package dev.latchkey.server.sessions;

import java.util.Optional;

/**
 * The refresh decision as a pure function of what is stored about a presented token, the token and
 * the time. A current token of a live session rotates; a token spent within the grace interval gets
 * the family's current token (parallel tabs); one spent earlier revokes the session.
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
    if (now - spentAt <= settings.reuseGrace().toMillis() && family.refreshHash() != null) {
      Optional<String> current = chain.descendantWithHash(presented, family.refreshHash());
      if (current.isPresent()) {
        return new RefreshDecision.HandOver(family, current.get());
      }
    }
    return new RefreshDecision.RevokeFamily(family.sid());
  }
}
