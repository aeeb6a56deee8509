package dev.latchkey.verifier.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * The XSRF check of cookie mode, bound to the session (OWASP's signed double-submit cookie). The
 * auth server derives the XSRF value from the session ({@code HMAC-SHA256(server key, sid)}), sets
 * it in a script-readable {@code XSRF-TOKEN} cookie beside the session cookie, and signs its
 * SHA-256 into the session token as the {@value #CLAIM} claim. The client copies the cookie into an
 * {@code X-XSRF-TOKEN} header (Angular's defaults) on every state-changing request.
 *
 * <p>A cross-site page can make the browser send cookies but can neither read the cookie nor set
 * the header. A sibling sub-domain that tosses its own {@code XSRF-TOKEN} cookie and sends the same
 * value in the header still fails: it cannot make a value whose hash the signed session token
 * carries. An application server holds only public keys, so it checks the binding through the
 * signed claim, never the HMAC key.
 */
public final class Xsrf {
  /** The cookie the auth server sets (Angular's default name). */
  public static final String COOKIE = "XSRF-TOKEN";

  /** The header the client sends back (Angular's default name). */
  public static final String HEADER = "X-XSRF-TOKEN";

  /** The session token claim binding it to its XSRF value: base64url SHA-256 of the value. */
  public static final String CLAIM = "xsrf";

  /** The error code of the 403 answer when the check fails. */
  public static final String MISMATCH_ERROR = "xsrf_mismatch";

  private static final Set<String> UNSAFE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final int MAX_VALUE_LENGTH = 256;

  private Xsrf() {}

  /** Whether a request with this method must pass the check (it may change state). */
  public static boolean isRequiredFor(String method) {
    return method != null && UNSAFE_METHODS.contains(method.toUpperCase(Locale.ROOT));
  }

  /**
   * The whole check, the one every adapter and the auth server run on a state-changing request
   * whose session token came from the cookie: the header is present and non-empty, equals the
   * cookie, and its SHA-256 is the verified token's {@value #CLAIM} claim. False when any is
   * missing; a token without the claim never passes. Compared in constant time.
   *
   * @param claim the verified token's {@value #CLAIM} claim, or null
   */
  public static boolean passes(String cookieValue, String headerValue, Object claim) {
    if (cookieValue == null
        || headerValue == null
        || headerValue.isEmpty()
        || headerValue.length() > MAX_VALUE_LENGTH
        || !(claim instanceof String bound)) {
      return false;
    }
    return equal(cookieValue, headerValue) & equal(binding(headerValue), bound);
  }

  /** The {@value #CLAIM} claim that binds a token to this XSRF value: base64url(SHA-256(value)). */
  public static String binding(String xsrfValue) {
    return Digests.sha256Base64Url(xsrfValue);
  }

  private static boolean equal(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** The fixed message of the 403 answer for these cookie and header names. */
  public static String mismatchMessage(String cookieName, String headerName) {
    return "The " + headerName + " header must match the " + cookieName + " cookie of this session";
  }
}
