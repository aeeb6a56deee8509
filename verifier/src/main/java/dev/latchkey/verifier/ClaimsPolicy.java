package dev.latchkey.verifier;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;

/**
 * Nimbus's {@link DefaultJWTClaimsVerifier} (iss exact match, aud contains, exp/sub required,
 * exp/nbf with skew) on the injected clock, plus an iat-not-in-the-future check; its rejections are
 * translated to {@link RejectionReason}s.
 */
final class ClaimsPolicy extends DefaultJWTClaimsVerifier<SecurityContext> {
  private final Clock clock;
  private final Duration skew;

  ClaimsPolicy(
      String issuer, Set<String> audiences, Set<String> extraRequired, Clock clock, Duration skew) {
    super(
        audiences,
        new JWTClaimsSet.Builder().issuer(issuer).build(),
        required(extraRequired),
        null);
    this.clock = clock;
    this.skew = skew;
    setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, skew.toSeconds()));
  }

  private static Set<String> required(Set<String> extra) {
    Set<String> r = new HashSet<>(Set.of("exp", "sub"));
    r.addAll(extra);
    return r;
  }

  @Override
  protected Date currentTime() {
    return Date.from(clock.instant());
  }

  @Override
  public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
    try {
      super.verify(claims, context);
    } catch (Rejection r) {
      throw r;
    } catch (BadJWTException e) {
      throw new Rejection(reasonFor(e.getMessage()), e.getMessage());
    }
    Date iat = claims.getIssueTime();
    if (iat != null && iat.toInstant().isAfter(clock.instant().plus(skew))) {
      throw new Rejection(RejectionReason.NOT_YET_VALID, "iat in the future");
    }
  }

  /** Also used by the verified-token cache on every hit. */
  void checkTimes(VerifiedToken t) {
    java.time.Instant now = clock.instant();
    if (!t.expiresAt().plus(skew).isAfter(now)) {
      throw new TokenRejectedException(RejectionReason.EXPIRED);
    }
    if (t.notBefore() != null && t.notBefore().minus(skew).isAfter(now)) {
      throw new TokenRejectedException(RejectionReason.NOT_YET_VALID);
    }
  }

  static RejectionReason reasonFor(String message) {
    String m = message == null ? "" : message;
    if (m.equals("Expired JWT")) {
      return RejectionReason.EXPIRED;
    } else if (m.equals("JWT before use time")) {
      return RejectionReason.NOT_YET_VALID;
    } else if (m.startsWith("JWT aud claim")) {
      return RejectionReason.WRONG_AUDIENCE;
    } else if (m.startsWith("JWT iss claim")) {
      return RejectionReason.WRONG_ISSUER;
    } else if (m.startsWith("JWT missing required")) {
      return RejectionReason.MISSING_CLAIM;
    }
    return RejectionReason.MALFORMED;
  }

  /** A Nimbus rejection carrying our reason through {@code DefaultJWTProcessor}. */
  static final class Rejection extends BadJWTException {
    private static final long serialVersionUID = 1L;
    final transient RejectionReason reason;

    Rejection(RejectionReason reason, String message) {
      super(message);
      this.reason = reason;
    }
  }
}
