package dev.latchkey.server.mfa;

import java.util.Locale;

/** How a second step was (or can be) passed. */
public enum SecondFactorMethod {
  TOTP,
  RECOVERY_CODE,
  PASSKEY;

  /** The name in answers and audit lines: {@code totp}, {@code recovery_code}, {@code passkey}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
