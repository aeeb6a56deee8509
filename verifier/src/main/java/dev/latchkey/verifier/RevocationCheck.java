package dev.latchkey.verifier;

import dev.latchkey.verifier.internal.revocation.RevokedSessions;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step, for tokens that passed everything else: the feed's revoked sids and kids
 * (lock-free lookups), then the application's hook; either one revoking rejects, and a failing hook
 * rejects.
 */
final class RevocationCheck {
  private static final Logger LOG = LoggerFactory.getLogger(JwtVerifier.class);

  private final RevokedSessions feed;
  private final Predicate<VerifiedToken> hook;

  RevocationCheck(RevokedSessions feed, Predicate<VerifiedToken> hook) {
    this.feed = feed;
    this.hook = hook;
  }

  void check(VerifiedToken t) {
    if (feed.isRevoked(t.sessionId()) || feed.isKeyRevoked(t.keyId()) || hookRevokes(t)) {
      throw new TokenRejectedException(RejectionReason.REVOKED);
    }
  }

  private boolean hookRevokes(VerifiedToken t) {
    try {
      return hook.test(t);
    } catch (RuntimeException e) {
      LOG.warn("isRevoked hook failed ({}); refusing the token", e.getClass().getSimpleName());
      return true;
    }
  }
}
