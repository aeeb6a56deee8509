package dev.latchkey.verifier;

import dev.latchkey.verifier.wire.AuthenticationMethods;
import dev.latchkey.verifier.wire.Dpop;
import dev.latchkey.verifier.wire.ErrorResponse;
import dev.latchkey.verifier.wire.Roles;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers of a refusal, the same from every adapter (Javalin, Servlet) and the Spring starter:
 * the {@code WWW-Authenticate} challenge (Bearer or DPoP), {@code Cache-Control}, and {@code
 * Retry-After} for a token that could not be judged; and the {@code DPoP-Nonce} of every answer,
 * refusal or not, to a request sent with the DPoP scheme ({@link #dpopNonce}).
 */
public final class RefusalHeaders {
  private RefusalHeaders() {}

  /**
   * The headers of a 401 for a request without a token: {@code Bearer realm="…"}, or a {@code DPoP}
   * challenge with the accepted proof algorithms when the verifier requires DPoP.
   */
  public static Map<String, String> missingToken(JwtVerifier verifier, String realm) {
    return challenge(
        verifier.requiresDpop()
            ? Dpop.challenge(realm, null, null, verifier.dpop().algorithms())
            : ErrorResponse.challenge(realm));
  }

  /**
   * The headers of a refusal: 503 with {@code Retry-After} for a token not judged; else 401 with a
   * {@code DPoP} challenge ({@code error} as {@link RejectionReason#challengeError}, {@code algs})
   * when the request used the DPoP scheme, the refusal concerns DPoP or DPoP is required; otherwise
   * the RFC 6750 {@code Bearer} challenge. With server nonces on, a refusal of a request sent with
   * the DPoP scheme (and every {@code use_dpop_nonce}) carries {@code DPoP-Nonce}. Shared with the
   * Spring starter, so every adapter answers alike.
   */
  public static Map<String, String> refused(
      JwtVerifier verifier, String realm, RejectionReason r, boolean dpopPresented) {
    Map<String, String> h;
    if (r.httpStatus() != 401) {
      h = new LinkedHashMap<>();
      h.put("Cache-Control", "no-store");
      h.put("Retry-After", "" + r.retryAfterSeconds());
    } else if (!(dpopPresented || r.dpop() || verifier.requiresDpop())) {
      h = challenge(ErrorResponse.invalidTokenChallenge(realm, r.message()));
    } else {
      h =
          challenge(
              Dpop.challenge(realm, r.challengeError(), r.message(), verifier.dpop().algorithms()));
    }
    h.putAll(dpopNonce(verifier, dpopPresented || r == RejectionReason.DPOP_NONCE_REQUIRED));
    return h;
  }

  /**
   * The header every answer to a request sent with the DPoP scheme carries when server nonces are
   * on, accepted or refused: {@code DPoP-Nonce} with the current nonce (RFC 9449 §8.2), so a client
   * moves to a new period's nonce before its old one is refused. Empty without nonces, and for a
   * request sent otherwise.
   */
  public static Map<String, String> dpopNonce(JwtVerifier verifier, boolean dpopPresented) {
    if (!dpopPresented) {
      return Map.of();
    }
    return verifier.dpop().currentNonce().map(n -> Map.of(Dpop.NONCE_HEADER, n)).orElseGet(Map::of);
  }

  /**
   * The headers of a 403 for a valid token that lacks the role the route requires: {@code
   * error="insufficient_scope"} (RFC 6750 §3.1) in a {@code DPoP} challenge (with {@code algs})
   * when the request used the DPoP scheme or DPoP is required (RFC 9449 §7.1), else in the {@code
   * Bearer} one.
   */
  public static Map<String, String> insufficientScope(
      JwtVerifier verifier, String realm, boolean dpopPresented) {
    return forbidden(
        verifier,
        realm,
        dpopPresented,
        ErrorResponse.insufficientScopeChallenge(realm, Roles.INSUFFICIENT_SCOPE_MESSAGE),
        Roles.INSUFFICIENT_SCOPE,
        Roles.INSUFFICIENT_SCOPE_MESSAGE);
  }

  /**
   * The headers of a 403 for a valid token that does not say the user passed a second factor (RFC
   * 9470): {@code error="insufficient_user_authentication"} in a {@code DPoP} challenge (with
   * {@code algs}) when the request used the DPoP scheme or DPoP is required, else in the {@code
   * Bearer} one.
   */
  public static Map<String, String> secondFactorRequired(
      JwtVerifier verifier, String realm, boolean dpopPresented) {
    return forbidden(
        verifier,
        realm,
        dpopPresented,
        AuthenticationMethods.challenge(realm),
        AuthenticationMethods.INSUFFICIENT_USER_AUTHENTICATION,
        AuthenticationMethods.INSUFFICIENT_USER_AUTHENTICATION_MESSAGE);
  }

  /**
   * A 403's challenge: the scheme the token was presented with (a DPoP-bound token is only ever
   * accepted with the DPoP scheme, so its refusal challenges with {@code DPoP}), the same {@code
   * error} and description in either.
   */
  private static Map<String, String> forbidden(
      JwtVerifier verifier,
      String realm,
      boolean dpopPresented,
      String bearerChallenge,
      String error,
      String description) {
    if (!(dpopPresented || verifier.requiresDpop())) {
      return challenge(bearerChallenge);
    }
    Map<String, String> h =
        challenge(Dpop.challenge(realm, error, description, verifier.dpop().algorithms()));
    h.putAll(dpopNonce(verifier, dpopPresented));
    return h;
  }

  private static Map<String, String> challenge(String value) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(ErrorResponse.WWW_AUTHENTICATE, value);
    h.put("Cache-Control", "no-store");
    return h;
  }
}
