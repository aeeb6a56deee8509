package dev.latchkey.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.testing.MutableClock;
import dev.latchkey.verifier.testing.Tokens;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The claim validators one by one, on an injected clock: typed results, no exceptions. */
class ClaimValidatorsTest {
  private final MutableClock clock = MutableClock.standard();
  private final TimeValidator times = TimeValidator.of(clock, Duration.ofSeconds(60));

  private JWTClaimsSet.Builder claims() {
    return Tokens.claims(clock);
  }

  @Test
  void audienceMustContainAnAcceptedValue() {
    ClaimValidator aud = ClaimValidators.audience(Set.of("a", "b"));

    assertThat(aud.validate(claims().audience(List.of("x", "b")).build())).isEmpty();
    assertThat(aud.validate(claims().audience("x").build()))
        .contains(RejectionReason.WRONG_AUDIENCE);
    assertThat(aud.validate(claims().audience((String) null).build()))
        .contains(RejectionReason.MISSING_CLAIM);
  }

  @Test
  void requiredClaimsAndExactIssuer() {
    assertThat(ClaimValidators.required(Set.of("sub", "sid")).validate(claims().build())).isEmpty();
    assertThat(ClaimValidators.required(Set.of("roles")).validate(claims().build()))
        .contains(RejectionReason.MISSING_CLAIM);
    assertThat(ClaimValidators.issuer(Tokens.ISSUER).validate(claims().build())).isEmpty();
    assertThat(
            ClaimValidators.issuer(Tokens.ISSUER)
                .validate(claims().issuer(Tokens.ISSUER.toUpperCase()).build()))
        .contains(RejectionReason.WRONG_ISSUER);
  }

  @Test
  void expiryWithTheSkew() {
    JWTClaimsSet c = claims().expirationTime(Date.from(clock.instant())).build();

    clock.advance(Duration.ofSeconds(59));
    assertThat(times.validate(c)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(times.validate(c)).contains(RejectionReason.EXPIRED);
    assertThat(times.ignoringTimes().validate(c)).isEmpty();
  }

  @Test
  void notBeforeAndIssuedAtInTheFutureBeyondTheSkew() {
    Date soon = Date.from(clock.instant().plusSeconds(60));
    Date later = Date.from(clock.instant().plusSeconds(61));

    assertThat(times.validate(claims().notBeforeTime(soon).build())).isEmpty();
    assertThat(times.validate(claims().notBeforeTime(later).build()))
        .contains(RejectionReason.NOT_YET_VALID);
    assertThat(times.validate(claims().issueTime(soon).build())).isEmpty();
    assertThat(times.validate(claims().issueTime(later).build()))
        .contains(RejectionReason.NOT_YET_VALID);
    // logout recognises a token from an instance whose clock runs ahead
    assertThat(times.ignoringTimes().validate(claims().issueTime(later).build())).isEmpty();
  }

  @Test
  void aCachedTokenIsRecheckedOnTheSameClock() {
    VerifiedToken t =
        VerifiedToken.of(
            claims().expirationTime(Date.from(clock.instant())).build(), "k1", "RS256");

    assertThat(times.validate(t)).isEmpty();
    clock.advance(Duration.ofSeconds(60));
    assertThat(times.validate(t)).contains(RejectionReason.EXPIRED);
  }

  @Test
  void allStopsAtTheFirstRefusal() {
    ClaimValidator first = c -> Optional.of(RejectionReason.WRONG_AUDIENCE);
    ClaimValidator second = c -> Optional.of(RejectionReason.WRONG_ISSUER);

    assertThat(ClaimValidator.all(List.of(first, second)).validate(claims().build()))
        .contains(RejectionReason.WRONG_AUDIENCE);
    assertThat(ClaimValidator.all(List.of()).validate(claims().build())).isEmpty();
  }

  @Test
  void typeIsComparedWithoutCaseOrPrefix() {
    TypeValidator type = new TypeValidator(Set.of("at+jwt"));

    assertThat(type.validate(new com.nimbusds.jose.JOSEObjectType("application/AT+JWT"))).isEmpty();
    assertThat(type.validate(com.nimbusds.jose.JOSEObjectType.JWT))
        .contains(RejectionReason.WRONG_TYPE);
    assertThat(type.validate(null)).contains(RejectionReason.WRONG_TYPE);
  }
}
