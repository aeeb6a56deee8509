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
  private final boolean checkTimes;

  private TimeValidator(Clock clock, Duration skew, boolean checkTimes) {
    this.clock = clock;
    this.skew = skew;
    this.checkTimes = checkTimes;
  }

  static TimeValidator of(Clock clock, Duration skew) {
    return new TimeValidator(clock, skew, true);
  }

  /**
   * No time check at all: for recognising a token this issuer signed whatever its times: one that
   * has expired, or one issued by an instance whose clock runs ahead of this one.
   */
  TimeValidator ignoringTimes() {
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
    if (!checkTimes) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (exp != null && !exp.plus(skew).isAfter(now)) {
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
