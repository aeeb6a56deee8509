package dev.latchkey.server.mfa;

import java.util.ArrayList;
import java.util.List;

/**
 * What second factors a user has ({@code GET /api/mfa}). Passkeys will be one more component.
 *
 * @param totp whether a confirmed TOTP authenticator is on (a pending enrolment is not)
 * @param recoveryCodesLeft unused recovery codes
 */
public record FactorSummary(boolean totp, int recoveryCodesLeft) {

  /** Whether signing in with a password needs a second step. */
  public boolean secondStepRequired() {
    return totp;
  }

  /** The methods a second step can use, for the login answer's {@code methods}. */
  public List<SecondFactorMethod> methods() {
    List<SecondFactorMethod> methods = new ArrayList<>();
    if (totp) {
      methods.add(SecondFactorMethod.TOTP);
    }
    if (secondStepRequired() && recoveryCodesLeft > 0) {
      methods.add(SecondFactorMethod.RECOVERY_CODE);
    }
    return List.copyOf(methods);
  }
}
