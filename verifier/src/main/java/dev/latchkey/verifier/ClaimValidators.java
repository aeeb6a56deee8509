package dev.latchkey.verifier;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The claim checks other than time ({@link TimeValidator}), one concern each. */
final class ClaimValidators {
  private ClaimValidators() {}

  /** {@code aud} is present and contains one of the accepted values. */
  static ClaimValidator audience(Set<String> accepted) {
    Set<String> copy = Set.copyOf(accepted);
    return claims -> {
      List<String> aud = claims.getAudience();
      if (aud == null || aud.isEmpty()) {
        return Optional.of(RejectionReason.MISSING_CLAIM);
      }
      return aud.stream().anyMatch(copy::contains)
          ? Optional.empty()
          : Optional.of(RejectionReason.WRONG_AUDIENCE);
    };
  }

  /** Every named claim is present. */
  static ClaimValidator required(Set<String> names) {
    Set<String> copy = Set.copyOf(names);
    return claims ->
        copy.stream().allMatch(name -> claims.getClaim(name) != null)
            ? Optional.empty()
            : Optional.of(RejectionReason.MISSING_CLAIM);
  }

  /** {@code iss} is exactly {@code issuer} (case-sensitive, no normalisation). */
  static ClaimValidator issuer(String issuer) {
    return claims ->
        issuer.equals(claims.getClaim("iss"))
            ? Optional.empty()
            : Optional.of(RejectionReason.WRONG_ISSUER);
  }
}
