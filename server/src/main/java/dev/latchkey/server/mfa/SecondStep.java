package dev.latchkey.server.mfa;

/** The outcome of checking a second-step code: passed with a method, or refused with a reason. */
public sealed interface SecondStep {

  /**
   * The code was right and is now spent.
   *
   * @param recoveryCodesLeft unused recovery codes after this one (to warn a user running low)
   */
  record Passed(SecondFactorMethod method, int recoveryCodesLeft) implements SecondStep {}

  /** The code was refused; every reason answers the client the same ({@code invalid_code}). */
  record Refused(Reason reason) implements SecondStep {}

  /** Why a code was refused, for audit lines and metrics only. */
  enum Reason {
    /** Neither the TOTP code of a step within the drift nor an unused recovery code. */
    INVALID_CODE,
    /** The TOTP code of a step already accepted (or older): a replay. */
    REPLAYED,
    /** The user has no second factor on. */
    NOT_ENROLLED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
