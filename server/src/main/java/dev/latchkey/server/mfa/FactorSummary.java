package dev.latchkey.server.mfa;

import dev.latchkey.server.passkeys.Passkey;
import java.util.ArrayList;
import java.util.List;

/**
 * What second factors a user has ({@code GET /api/mfa}).
 *
 * @param totp whether a confirmed TOTP authenticator is on (a pending enrolment is not)
 * @param recoveryCodesLeft unused recovery codes
 * @param passkeys the user's passkeys, oldest first
 */
public record FactorSummary(boolean totp, int recoveryCodesLeft, List<Passkey> passkeys) {

  public FactorSummary {
    passkeys = List.copyOf(passkeys);
  }

  /** Without passkeys. */
  public FactorSummary(boolean totp, int recoveryCodesLeft) {
    this(totp, recoveryCodesLeft, List.of());
  }

  /** Whether signing in with a password needs a second step: TOTP or a passkey is on. */
  public boolean secondStepRequired() {
    return totp || !passkeys.isEmpty();
  }

  /** The methods a second step can use, for the login answer's {@code methods}. */
  public List<SecondFactorMethod> methods() {
    List<SecondFactorMethod> methods = new ArrayList<>();
    if (totp) {
      methods.add(SecondFactorMethod.TOTP);
    }
    if (!passkeys.isEmpty()) {
      methods.add(SecondFactorMethod.PASSKEY);
    }
    if (secondStepRequired() && recoveryCodesLeft > 0) {
      methods.add(SecondFactorMethod.RECOVERY_CODE);
    }
    return List.copyOf(methods);
  }
}
