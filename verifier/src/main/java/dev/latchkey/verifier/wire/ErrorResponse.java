package dev.latchkey.verifier.wire;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How every refusal is answered: a JSON body {@code {"error":"<code>","message":"<fixed text>"}}
 * and, for 401, an RFC 6750 {@code WWW-Authenticate: Bearer} challenge. Messages are fixed texts
 * and never contain any part of a token.
 */
public final class ErrorResponse {
  /** The realm of the challenge unless configured otherwise. */
  public static final String DEFAULT_REALM = "latchkey";

  public static final String WWW_AUTHENTICATE = "WWW-Authenticate";

  /** The error code of a 401 for a request without a token. */
  public static final String MISSING_TOKEN = "missing_token";

  public static final String MISSING_TOKEN_MESSAGE = "Authentication is required";

  /** The RFC 6750 {@code error} of a challenge for a token that was judged and refused. */
  public static final String INVALID_TOKEN = "invalid_token";

  private ErrorResponse() {}

  /** The JSON body: {@code error} (a stable code) then {@code message} (a fixed text). */
  public static String body(String error, String message) {
    return JSONObjectUtils.toJSONString(fields(error, message));
  }

  /**
   * The JSON body of a refusal to try again later: {@code error}, {@code message}, then {@code
   * retryAfter}, the seconds of its {@code Retry-After} header, which a page on another origin can
   * read only when CORS exposes the header (the auth server's 429 answers alike).
   */
  public static String retryBody(String error, String message, int retryAfterSeconds) {
    Map<String, Object> body = fields(error, message);
    body.put("retryAfter", retryAfterSeconds);
    return JSONObjectUtils.toJSONString(body);
  }

  private static Map<String, Object> fields(String error, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("message", message);
    return body;
  }

  /**
   * The challenge for a request that carried no token: {@code Bearer realm="<realm>"}, without
   * {@code error} (RFC 6750 §3.1).
   */
  public static String challenge(String realm) {
    return "Bearer realm=\"" + checkedRealm(realm) + "\"";
  }

  /**
   * The challenge for a refused token: {@code Bearer realm="…", error="invalid_token",
   * error_description="<description>"}; the description must be a fixed text without quotes.
   */
  public static String invalidTokenChallenge(String realm, String description) {
    return challenge(realm)
        + ", error=\""
        + INVALID_TOKEN
        + "\", error_description=\""
        + description
        + "\"";
  }

  /**
   * The challenge for a valid token that lacks a required role: {@code Bearer realm="…",
   * error="insufficient_scope", error_description="<description>"} (RFC 6750 §3.1, with 403).
   */
  public static String insufficientScopeChallenge(String realm, String description) {
    return challenge(realm)
        + ", error=\""
        + Roles.INSUFFICIENT_SCOPE
        + "\", error_description=\""
        + description
        + "\"";
  }

  /** The realm, refused when it would break the quoted string of the challenge. */
  public static String checkedRealm(String realm) {
    if (realm.indexOf('"') >= 0 || realm.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("realm must not contain quotes or backslashes");
    }
    return realm;
  }
}
