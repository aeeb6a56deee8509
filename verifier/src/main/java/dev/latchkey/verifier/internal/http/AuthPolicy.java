package dev.latchkey.verifier.internal.http;

import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.RefusalHeaders;
import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.TokenRejectedException;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.dpop.DpopRequest;
import dev.latchkey.verifier.wire.AuthenticationMethods;
import dev.latchkey.verifier.wire.BearerToken;
import dev.latchkey.verifier.wire.Dpop;
import dev.latchkey.verifier.wire.ErrorResponse;
import dev.latchkey.verifier.wire.Roles;
import dev.latchkey.verifier.wire.Xsrf;
import java.net.URI;
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
  private final URI publicBaseUrl;

  private AuthPolicy(
      JwtVerifier verifier,
      Mode mode,
      String cookieName,
      String realm,
      String xsrfCookie,
      String xsrfHeader,
      URI publicBaseUrl) {
    this.verifier = Objects.requireNonNull(verifier);
    this.mode = Objects.requireNonNull(mode);
    if (mode != Mode.BEARER && (cookieName == null || cookieName.isBlank())) {
      throw new IllegalArgumentException("cookie mode needs a cookie name");
    }
    this.cookieName = cookieName;
    this.realm = ErrorResponse.checkedRealm(realm);
    this.xsrfCookie = Objects.requireNonNull(xsrfCookie);
    this.xsrfHeader = Objects.requireNonNull(xsrfHeader);
    this.publicBaseUrl = publicBaseUrl;
  }

  public static AuthPolicy of(JwtVerifier verifier, Mode mode, String cookieName) {
    return new AuthPolicy(
        verifier, mode, cookieName, ErrorResponse.DEFAULT_REALM, Xsrf.COOKIE, Xsrf.HEADER, null);
  }

  public AuthPolicy withRealm(String realm) {
    return new AuthPolicy(verifier, mode, cookieName, realm, xsrfCookie, xsrfHeader, publicBaseUrl);
  }

  public AuthPolicy withXsrfNames(String cookie, String header) {
    return new AuthPolicy(verifier, mode, cookieName, realm, cookie, header, publicBaseUrl);
  }

  /**
   * The URL clients address this application at (e.g. {@code https://api.example.com} behind a
   * proxy): a DPoP proof's {@code htu} must be it followed by the request path. Without it, the URL
   * the container received is used.
   */
  public AuthPolicy withPublicBaseUrl(URI base) {
    String b = base.toString();
    if (!base.isAbsolute() || base.getHost() == null || base.getRawQuery() != null) {
      throw new IllegalArgumentException("the public base URL must be an absolute http(s) URL");
    }
    URI trimmed = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    return new AuthPolicy(verifier, mode, cookieName, realm, xsrfCookie, xsrfHeader, trimmed);
  }

  /**
   * Decides a request. With {@code required}, a request without a token is refused (401, no {@code
   * error} attribute); otherwise it proceeds anonymously. A token that is present but invalid is
   * always refused. With server nonces on, every outcome of a request sent with the DPoP scheme
   * carries {@code DPoP-Nonce} in its headers.
   */
  public Outcome authenticate(RequestView request, boolean required) {
    String method = String.valueOf(request.method()).toUpperCase(Locale.ROOT);
    if (method.equals("OPTIONS")) {
      return Outcome.anonymous(); // CORS preflight never carries credentials
    }
    String token = null;
    boolean fromCookie = false;
    boolean dpop = false;
    if (mode != Mode.COOKIE) {
      String authorization = request.header(BearerToken.HEADER);
      token = BearerToken.parse(authorization);
      if (token == null) {
        token = Dpop.parse(authorization);
        dpop = token != null;
      }
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
          RefusalHeaders.missingToken(verifier, realm),
          ErrorResponse.body(ErrorResponse.MISSING_TOKEN, ErrorResponse.MISSING_TOKEN_MESSAGE),
          null);
    }
    VerifiedToken verified;
    try {
      verified =
          dpop
              ? verifier.verifyDpop(
                  token,
                  new DpopRequest(
                      request.headers(Dpop.PROOF_HEADER), request.method(), publicUrl(request)))
              : verifier.verify(token);
    } catch (TokenRejectedException e) {
      RejectionReason r = e.reason();
      LOG.info("{} refused: {}", method, r.code());
      return Outcome.refuse(
          r.httpStatus(), RefusalHeaders.refused(verifier, realm, r, dpop), r.body(), r);
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
    return Outcome.accepted(verified, RefusalHeaders.dpopNonce(verifier, dpop));
  }

  /**
   * Refuses an authenticated request whose token holds none of {@code anyOf}: 403 with {@code
   * WWW-Authenticate: Bearer …, error="insufficient_scope"} ({@code DPoP …, algs="…"} for a token
   * sent with the DPoP scheme) and the JSON body. Refusals and anonymous outcomes (CORS preflight)
   * pass unchanged; so does every token when {@code anyOf} is empty.
   */
  public Outcome authorize(Outcome authenticated, String method, Set<String> anyOf) {
    VerifiedToken t = authenticated.token();
    if (anyOf.isEmpty() || t == null || Roles.anyOf(t.roles(), anyOf)) {
      return authenticated;
    }
    LOG.info("{} refused: {}", method, Roles.INSUFFICIENT_SCOPE);
    return Outcome.refuse(
        403,
        RefusalHeaders.insufficientScope(verifier, realm, sentWithDpop(t)),
        ErrorResponse.body(Roles.INSUFFICIENT_SCOPE, Roles.INSUFFICIENT_SCOPE_MESSAGE),
        null);
  }

  /**
   * Refuses an authenticated request whose token does not say the user passed a second factor (no
   * {@code mfa} in its {@code amr} claim, RFC 8176): 403 with {@code WWW-Authenticate: Bearer …,
   * error="insufficient_user_authentication"} (RFC 9470; {@code DPoP …} for a token sent with the
   * DPoP scheme) and the JSON body. Refusals and anonymous outcomes pass unchanged.
   */
  public Outcome requireSecondFactor(Outcome authenticated, String method) {
    VerifiedToken t = authenticated.token();
    if (t == null || AuthenticationMethods.multiFactor(t.authenticationMethods())) {
      return authenticated;
    }
    LOG.info("{} refused: {}", method, AuthenticationMethods.INSUFFICIENT_USER_AUTHENTICATION);
    return Outcome.refuse(
        403,
        RefusalHeaders.secondFactorRequired(verifier, realm, sentWithDpop(t)),
        ErrorResponse.body(
            AuthenticationMethods.INSUFFICIENT_USER_AUTHENTICATION,
            AuthenticationMethods.INSUFFICIENT_USER_AUTHENTICATION_MESSAGE),
        null);
  }

  /**
   * Whether an accepted token came with the DPoP scheme: exactly when it is bound, since a bound
   * token is refused as {@code Bearer} and an unbound one as {@code DPoP}.
   */
  private static boolean sentWithDpop(VerifiedToken accepted) {
    return accepted.boundKeyThumbprint().isPresent();
  }

  /**
   * The URL the request was addressed to: the public base URL and the request path, else what the
   * container received. An unparsable one cannot equal any {@code htu}.
   */
  private URI publicUrl(RequestView request) {
    String url = publicBaseUrl == null ? request.requestUrl() : publicBaseUrl + request.rawPath();
    try {
      return new URI(url);
    } catch (java.net.URISyntaxException | NullPointerException e) {
      throw new TokenRejectedException(RejectionReason.DPOP_PROOF_WRONG_URL);
    }
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
}
