package dev.latchkey.verifier.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * The XSRF double-submit check of cookie mode: the auth server sets a script-readable {@code
 * XSRF-TOKEN} cookie beside the session cookie; the client copies it into an {@code X-XSRF-TOKEN}
 * header (Angular's defaults) on every state-changing request. A cross-site page can make the
 * browser send cookies but cannot read the cookie nor set the header.
 */
public final class Xsrf {
  /** The cookie the auth server sets (Angular's default name). */
  public static final String COOKIE = "XSRF-TOKEN";

  /** The header the client sends back (Angular's default name). */
  public static final String HEADER = "X-XSRF-TOKEN";

  /** The error code of the 403 answer when the check fails. */
  public static final String MISMATCH_ERROR = "xsrf_mismatch";

  private static final Set<String> UNSAFE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

  private Xsrf() {}

  /** Whether a request with this method must pass the check (it may change state). */
  public static boolean isRequiredFor(String method) {
    return method != null && UNSAFE_METHODS.contains(method.toUpperCase(Locale.ROOT));
  }

  /**
   * Whether the header value equals the cookie value, compared in constant time; false when either
   * is missing or the cookie is empty.
   */
  public static boolean matches(String cookieValue, String headerValue) {
    if (cookieValue == null || headerValue == null || cookieValue.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(
        cookieValue.getBytes(StandardCharsets.UTF_8), headerValue.getBytes(StandardCharsets.UTF_8));
  }

  /** The fixed message of the 403 answer for these cookie and header names. */
  public static String mismatchMessage(String cookieName, String headerName) {
    return "The " + headerName + " header must match the " + cookieName + " cookie";
  }
}
