package dev.latchkey.server.mfa;

import java.util.Locale;

/** How a second step was (or can be) passed. Passkeys join when they come. */
public enum SecondFactorMethod {
  TOTP,
  RECOVERY_CODE;

  /** The name in answers and audit lines: {@code totp}, {@code recovery_code}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
