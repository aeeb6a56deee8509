package dev.latchkey.verifier.internal.http;

import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.TokenRejectedException;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.wire.AuthenticationMethods;
import dev.latchkey.verifier.wire.BearerToken;
import dev.latchkey.verifier.wire.ErrorResponse;
import dev.latchkey.verifier.wire.Roles;
import dev.latchkey.verifier.wire.Xsrf;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the token comes from (Authorization header, a cookie, or either) and how a refusal is
 * answered (the wire contract of {@link ErrorResponse}). Immutable; shared by the Javalin and
 * Servlet adapters.
 */
public final class AuthPolicy {
  private static final Logger LOG = LoggerFactory.getLogger("dev.latchkey.verifier.auth");

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

  private AuthPolicy(
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
    this.cookieName = cookieName;
    this.realm = ErrorResponse.checkedRealm(realm);
    this.xsrfCookie = Objects.requireNonNull(xsrfCookie);
    this.xsrfHeader = Objects.requireNonNull(xsrfHeader);
  }

  public static AuthPolicy of(JwtVerifier verifier, Mode mode, String cookieName) {
    return new AuthPolicy(
        verifier, mode, cookieName, ErrorResponse.DEFAULT_REALM, Xsrf.COOKIE, Xsrf.HEADER);
  }

  public AuthPolicy withRealm(String realm) {
    return new AuthPolicy(verifier, mode, cookieName, realm, xsrfCookie, xsrfHeader);
  }

  public AuthPolicy withXsrfNames(String cookie, String header) {
    return new AuthPolicy(verifier, mode, cookieName, realm, cookie, header);
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
      token = BearerToken.parse(request.header(BearerToken.HEADER));
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
          401,
          challenge(ErrorResponse.challenge(realm)),
          ErrorResponse.body(ErrorResponse.MISSING_TOKEN, ErrorResponse.MISSING_TOKEN_MESSAGE),
          null);
    }
    VerifiedToken verified;
    try {
      verified = verifier.verify(token);
    } catch (TokenRejectedException e) {
      RejectionReason r = e.reason();
      LOG.info("{} refused: {}", method, r.code());
      Map<String, String> headers =
          r.httpStatus() == 401
              ? challenge(ErrorResponse.invalidTokenChallenge(realm, r.message()))
              : Map.of("Cache-Control", "no-store", "Retry-After", "" + r.retryAfterSeconds());
      return Outcome.refuse(r.httpStatus(), headers, ErrorResponse.body(r.code(), r.message()), r);
    }
    if (fromCookie
        && Xsrf.isRequiredFor(method)
        && !Xsrf.passes(
            request.cookie(xsrfCookie),
            request.header(xsrfHeader),
            verified.claimsSet().getClaim(Xsrf.CLAIM))) {
      LOG.info("{} refused: XSRF header missing or not this session's", method);
      return Outcome.refuse(
          403,
          Map.of("Cache-Control", "no-store"),
          ErrorResponse.body(Xsrf.MISMATCH_ERROR, Xsrf.mismatchMessage(xsrfCookie, xsrfHeader)),
          null);
    }
    return Outcome.accepted(verified);
  }

  /**
   * Refuses an authenticated request whose token holds none of {@code anyOf}: 403 with {@code
   * WWW-Authenticate: Bearer …, error="insufficient_scope"} and the JSON body. Refusals and
   * anonymous outcomes (CORS preflight) pass unchanged; so does every token when {@code anyOf} is
   * empty.
   */
  public Outcome authorize(Outcome authenticated, String method, Set<String> anyOf) {
    VerifiedToken t = authenticated.token();
    if (anyOf.isEmpty() || t == null || Roles.anyOf(t.roles(), anyOf)) {
      return authenticated;
    }
    LOG.info("{} refused: {}", method, Roles.INSUFFICIENT_SCOPE);
    return Outcome.refuse(
        403,
        challenge(
            ErrorResponse.insufficientScopeChallenge(realm, Roles.INSUFFICIENT_SCOPE_MESSAGE)),
        ErrorResponse.body(Roles.INSUFFICIENT_SCOPE, Roles.INSUFFICIENT_SCOPE_MESSAGE),
        null);
  }

  /**
   * Refuses an authenticated request whose token does not say the user passed a second factor (no
   * {@code mfa} in its {@code amr} claim, RFC 8176): 403 with {@code WWW-Authenticate: Bearer …,
   * error="insufficient_user_authentication"} (RFC 9470) and the JSON body. Refusals and anonymous
   * outcomes pass unchanged.
   */
  public Outcome requireSecondFactor(Outcome authenticated, String method) {
    VerifiedToken t = authenticated.token();
    if (t == null || AuthenticationMethods.multiFactor(t.authenticationMethods())) {
      return authenticated;
    }
    LOG.info("{} refused: {}", method, AuthenticationMethods.INSUFFICIENT_USER_AUTHENTICATION);
    return Outcome.refuse(
        403,
        challenge(AuthenticationMethods.challenge(realm)),
        ErrorResponse.body(
            AuthenticationMethods.INSUFFICIENT_USER_AUTHENTICATION,
            AuthenticationMethods.INSUFFICIENT_USER_AUTHENTICATION_MESSAGE),
        null);
  }

  /** The role names of a role requirement, refused when empty or blank. */
  public static Set<String> roleNames(String... anyOf) {
    Set<String> roles = new java.util.LinkedHashSet<>();
    for (String r : anyOf) {
      if (r == null || r.isBlank()) {
        throw new IllegalArgumentException("role names must not be blank");
      }
      roles.add(r);
    }
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("at least one role is required");
    }
    return Set.copyOf(roles);
  }

  private static Map<String, String> challenge(String value) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(ErrorResponse.WWW_AUTHENTICATE, value);
    h.put("Cache-Control", "no-store");
    return h;
  }
}
