package dev.latchkey.verifier;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * {@code exp}, {@code nbf} and {@code iat} against the injected wall clock with a skew: expired
 * when {@code exp + skew <= now}; not yet valid when {@code nbf - skew > now} or {@code iat > now +
 * skew}. Absent claims pass (presence is {@link ClaimValidators#required}'s concern).
 */
final class TimeValidator implements ClaimValidator {
  private final Clock clock;
  private final Duration skew;
  private final boolean checkExpiry;

  private TimeValidator(Clock clock, Duration skew, boolean checkExpiry) {
    this.clock = clock;
    this.skew = skew;
    this.checkExpiry = checkExpiry;
  }

  static TimeValidator of(Clock clock, Duration skew) {
    return new TimeValidator(clock, skew, true);
  }

  /** The same checks without {@code exp}: for recognising a token that has expired. */
  TimeValidator ignoringExpiry() {
    return new TimeValidator(clock, skew, false);
  }

  @Override
  public Optional<RejectionReason> validate(JWTClaimsSet claims) {
    return check(
        instant(claims.getExpirationTime()),
        instant(claims.getNotBeforeTime()),
        instant(claims.getIssueTime()));
  }

  /** Re-checks a token verified earlier (the verified-token cache, on every hit). */
  Optional<RejectionReason> validate(VerifiedToken token) {
    return check(token.expiresAt(), token.notBefore(), null);
  }

  private Optional<RejectionReason> check(Instant exp, Instant nbf, Instant iat) {
    Instant now = clock.instant();
    if (checkExpiry && exp != null && !exp.plus(skew).isAfter(now)) {
      return Optional.of(RejectionReason.EXPIRED);
    }
    if (nbf != null && nbf.minus(skew).isAfter(now)) {
      return Optional.of(RejectionReason.NOT_YET_VALID);
    }
    if (iat != null && iat.isAfter(now.plus(skew))) {
      return Optional.of(RejectionReason.NOT_YET_VALID);
    }
    return Optional.empty();
  }

  private static Instant instant(Date d) {
    return d == null ? null : d.toInstant();
  }
}
