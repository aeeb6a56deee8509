package dev.latchkey.verifier;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.List;
import java.util.Optional;

/** One check of a token's claims: empty when it passes, else why the token is refused. */
@FunctionalInterface
interface ClaimValidator {
  Optional<RejectionReason> validate(JWTClaimsSet claims);

  /** The validators in order; the first refusal wins. */
  static ClaimValidator all(List<ClaimValidator> validators) {
    List<ClaimValidator> copy = List.copyOf(validators);
    return claims -> {
      for (ClaimValidator v : copy) {
        Optional<RejectionReason> refused = v.validate(claims);
        if (refused.isPresent()) {
          return refused;
        }
      }
      return Optional.empty();
    };
  }
}
