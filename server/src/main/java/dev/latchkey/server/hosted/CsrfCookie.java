package dev.latchkey.server.hosted;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Double-submit protection of the hosted login form: a random token (256 bits) in a host-only
 * {@code HttpOnly; SameSite=Strict} cookie ({@code __Host-} prefixed when Secure) and the same
 * token in a hidden form field; a post whose field does not equal the cookie is refused. The cookie
 * is host-only even when the session cookie has a Domain, so a sibling sub-domain cannot set it.
 */
public final class CsrfCookie {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_AGE_SECONDS = 3600;

  private final boolean secure;
  private final String name;

  public CsrfCookie(boolean secure) {
    this.secure = secure;
    this.name = secure ? "__Host-latchkey-csrf" : "latchkey-csrf";
  }

  public String name() {
    return name;
  }

  /** The token to use: the cookie's when it looks like one of ours, else a fresh one. */
  public String tokenFor(String cookieValue) {
    return wellFormed(cookieValue) ? cookieValue : fresh();
  }

  /** The {@code Set-Cookie} value carrying a token. */
  public String header(String token) {
    return name
        + "="
        + token
        + "; Path=/; Max-Age="
        + MAX_AGE_SECONDS
        + (secure ? "; Secure" : "")
        + "; HttpOnly; SameSite=Strict";
  }

  /** Whether the posted field equals the cookie (both present and well formed). */
  public static boolean matches(String cookieValue, String fieldValue) {
    if (!wellFormed(cookieValue) || !wellFormed(fieldValue)) {
      return false;
    }
    return MessageDigest.isEqual(
        cookieValue.getBytes(StandardCharsets.US_ASCII),
        fieldValue.getBytes(StandardCharsets.US_ASCII));
  }

  private static boolean wellFormed(String token) {
    return token != null && token.length() == 43 && token.matches("[A-Za-z0-9_-]+");
  }

  private static String fresh() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
