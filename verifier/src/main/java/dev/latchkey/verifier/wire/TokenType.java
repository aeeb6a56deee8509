package dev.latchkey.verifier.wire;

import java.util.Locale;

/**
 * The {@code typ} header of a Latchkey session token: {@code at+jwt} (RFC 9068 explicit typing, RFC
 * 8725 §3.11), so that no other JWT signed by the same keys passes as a session token.
 */
public final class TokenType {
  /** The value the auth server writes and the verifier requires by default. */
  public static final String ACCESS_TOKEN = "at+jwt";

  private TokenType() {}

  /**
   * The comparable form of a {@code typ} value: lower case, without the optional {@code
   * application/} prefix (RFC 7515 §4.1.9), so {@code application/AT+JWT} equals {@code at+jwt}.
   */
  public static String normalise(String type) {
    String t = type.toLowerCase(Locale.ROOT);
    return t.startsWith("application/") ? t.substring("application/".length()) : t;
  }
}
