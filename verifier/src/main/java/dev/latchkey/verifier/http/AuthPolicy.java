package dev.latchkey.verifier.http;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.latchkey.verifier.Defaults;
import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.TokenRejectedException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the token comes from (Authorization header, a cookie, or either) and how a refusal is
 * answered (RFC 6750). Immutable; shared by the Javalin and Servlet adapters.
 */
public final class AuthPolicy {
  private static final Logger LOG = LoggerFactory.getLogger("dev.latchkey.verifier.auth");
  private static final Set<String> UNSAFE = Set.of("POST", "PUT", "PATCH", "DELETE");

  /** Where tokens are read from. */
  public enum Mode {
    BEARER,
    COOKIE,
    BEARER_OR_COOKIE
  }

  private final JwtVerifier verifier;
  private final Mode mode;
  private final String cookieName;
  private final String realm;
  private final String xsrfCookie;
  private final String xsrfHeader;

  public AuthPolicy(
      JwtVerifier verifier,
      Mode mode,
      String cookieName,
      String realm,
      String xsrfCookie,
      String xsrfHeader) {
    this.verifier = Objects.requireNonNull(verifier);
    this.mode = Objects.requireNonNull(mode);
    if (mode != Mode.BEARER && (cookieName == null || cookieName.isBlank())) {
      throw new IllegalArgumentException("cookie mode needs a cookie name");
    }
    if (realm.indexOf('"') >= 0 || realm.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("realm must not contain quotes or backslashes");
    }
    this.cookieName = cookieName;
    this.realm = realm;
    this.xsrfCookie = Objects.requireNonNull(xsrfCookie);
    this.xsrfHeader = Objects.requireNonNull(xsrfHeader);
  }

  public static AuthPolicy of(JwtVerifier verifier, Mode mode, String cookieName) {
    return new AuthPolicy(
        verifier, mode, cookieName, Defaults.REALM, Defaults.XSRF_COOKIE, Defaults.XSRF_HEADER);
  }

  public AuthPolicy withRealm(String realm) {
    return new AuthPolicy(verifier, mode, cookieName, realm, xsrfCookie, xsrfHeader);
  }

  public AuthPolicy withXsrfNames(String cookie, String header) {
    return new AuthPolicy(verifier, mode, cookieName, realm, cookie, header);
  }

  public Mode mode() {
    return mode;
  }

  /**
   * Decides a request. With {@code required}, a request without a token is refused (401, no {@code
   * error} attribute); otherwise it proceeds anonymously. A token that is present but invalid is
   * always refused.
   */
  public Outcome authenticate(RequestView request, boolean required) {
    String method = String.valueOf(request.method()).toUpperCase(Locale.ROOT);
    if (method.equals("OPTIONS")) {
      return Outcome.anonymous(); // CORS preflight never carries credentials
    }
    String token = null;
    boolean fromCookie = false;
    if (mode != Mode.COOKIE) {
      token = bearer(request.header("Authorization"));
    }
    if (token == null && mode != Mode.BEARER) {
      token = request.cookie(cookieName);
      fromCookie = token != null;
    }
    if (token == null) {
      if (!required) {
        return Outcome.anonymous();
      }
      LOG.debug("{} refused: no token", method);
      return Outcome.refuse(
          401, challenge(null), json("missing_token", "Authentication is required"), null);
    }
    if (fromCookie && UNSAFE.contains(method) && !xsrfMatches(request)) {
      LOG.info("{} refused: XSRF header missing or different from cookie", method);
      return Outcome.refuse(
          403,
          Map.of("Cache-Control", "no-store"),
          json(
              "xsrf_mismatch",
              "The " + xsrfHeader + " header must match the " + xsrfCookie + " cookie"),
          null);
    }
    try {
      return Outcome.accepted(verifier.verify(token));
    } catch (TokenRejectedException e) {
      RejectionReason r = e.reason();
      LOG.info("{} refused: {}", method, r.code());
      Map<String, String> headers =
          r.httpStatus() == 401
              ? challenge(r)
              : Map.of("Cache-Control", "no-store", "Retry-After", "30");
      return Outcome.refuse(r.httpStatus(), headers, json(r.code(), r.message()), r);
    }
  }

  private Map<String, String> challenge(RejectionReason r) {
    String value =
        r == null
            ? "Bearer realm=\"" + realm + "\""
            : "Bearer realm=\""
                + realm
                + "\", error=\"invalid_token\", error_description=\""
                + r.message()
                + "\"";
    Map<String, String> h = new LinkedHashMap<>();
    h.put("WWW-Authenticate", value);
    h.put("Cache-Control", "no-store");
    return h;
  }

  private boolean xsrfMatches(RequestView request) {
    String cookie = request.cookie(xsrfCookie);
    String header = request.header(xsrfHeader);
    if (cookie == null || header == null || cookie.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(
        cookie.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8));
  }

  /** The token of an {@code Authorization: Bearer} header, or null when there is none. */
  static String bearer(String authorization) {
    if (authorization == null) {
      return null;
    }
    String v = authorization.strip();
    if (v.length() < 6 || !v.regionMatches(true, 0, "Bearer", 0, 6)) {
      return null;
    }
    if (v.length() == 6) {
      return ""; // "Bearer" with nothing: present but malformed
    }
    if (v.charAt(6) != ' ') {
      return null; // another scheme that starts with "Bearer..."
    }
    return v.substring(7).strip();
  }

  static String json(String error, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("message", message);
    return JSONObjectUtils.toJSONString(body);
  }
}
