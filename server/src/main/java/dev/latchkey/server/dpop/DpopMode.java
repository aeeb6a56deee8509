package dev.latchkey.server.dpop;

import java.util.Locale;

/** Whether a login that hands the token to the client's script must carry a DPoP proof. */
public enum DpopMode {
  /** A proof binds the session to its key; without one the session is a bearer one (default). */
  OPTIONAL,
  /** Body delivery without a proof is refused ({@code 400 invalid_dpop_proof}). */
  REQUIRED;

  /** {@code optional} or {@code required}, in any case. */
  public static DpopMode parse(String value) {
    if (value != null) {
      for (DpopMode mode : values()) {
        if (mode.name().equalsIgnoreCase(value.strip())) {
          return mode;
        }
      }
    }
    throw new IllegalArgumentException(
        "dpop must be optional or required, got " + (value == null ? "nothing" : value));
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
