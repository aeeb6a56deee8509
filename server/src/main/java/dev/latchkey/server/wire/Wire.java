package dev.latchkey.server.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The wire contract between this server, the browser and the verifiers: token type, bearer parsing,
 * XSRF names and comparison and the error body (the revocation feed's format is the verifier's
 * {@code RevocationFeedFormat}). It mirrors the verifier module's contract, kept apart in this one
 * class (which depends on nothing) so that switching the server to the verifier's own definitions
 * touches a single file.
 */
public final class Wire {
  /** The {@code typ} header of session tokens (unless configured {@code JWT}). */
  public static final String TOKEN_TYPE = "at+jwt";

  /** The claim listing the subject's roles (an array of strings, omitted when empty). */
  public static final String ROLES_CLAIM = "roles";

  /** The script-readable double-submit cookie (Angular's default name). */
  public static final String XSRF_COOKIE = "XSRF-TOKEN";

  /** The header that must repeat the {@link #XSRF_COOKIE} cookie (Angular's default name). */
  public static final String XSRF_HEADER = "X-XSRF-TOKEN";

  /** The realm of every {@code WWW-Authenticate: Bearer} challenge. */
  public static final String REALM = "latchkey";

  private static final int MAX_XSRF_LENGTH = 256;

  private Wire() {}

  /**
   * The token of an {@code Authorization: Bearer} header. Empty without the header or for another
   * scheme (no bearer credential was offered); an empty string for a bare {@code Bearer} (an
   * invalid credential, not a missing one).
   */
  public static Optional<String> bearer(String authorization) {
    if (authorization == null) {
      return Optional.empty();
    }
    String v = authorization.strip();
    if (v.length() < 6 || !v.regionMatches(true, 0, "Bearer", 0, 6)) {
      return Optional.empty();
    }
    if (v.length() == 6) {
      return Optional.of("");
    }
    if (v.charAt(6) != ' ') {
      return Optional.empty(); // another scheme whose name starts with "Bearer"
    }
    return Optional.of(v.substring(7).strip());
  }

  /**
   * Whether the XSRF header repeats the XSRF cookie: both present, compared in constant time. What
   * an unsafe request authenticated by a cookie must show.
   */
  public static boolean xsrfMatches(String cookie, String header) {
    if (cookie == null || header == null || cookie.isEmpty() || cookie.length() > MAX_XSRF_LENGTH) {
      return false;
    }
    return MessageDigest.isEqual(
        cookie.getBytes(StandardCharsets.US_ASCII), header.getBytes(StandardCharsets.US_ASCII));
  }

  /** The JSON body of every refusal: {@code {"error", "message", ...extra}}. */
  public static Map<String, Object> errorBody(
      String error, String message, Map<String, Object> extra) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("message", message);
    body.putAll(extra);
    return body;
  }

  /** The {@code WWW-Authenticate} value when no credential came. */
  public static String bearerChallenge() {
    return "Bearer realm=\"" + REALM + "\"";
  }

  /** The {@code WWW-Authenticate} value with an RFC 6750 error, for a refused credential. */
  public static String bearerChallenge(String error, String description) {
    return bearerChallenge()
        + ", error=\""
        + error
        + "\", error_description=\""
        + description
        + "\"";
  }
}
