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
 * Retry-After} for a token that could not be judged.
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
   * {@code DPoP} challenge ({@code error} as {@link RejectionReason#challengeError}, {@code algs},
   * and {@code DPoP-Nonce} when a nonce is needed) when the request used the DPoP scheme, the
   * refusal concerns DPoP or DPoP is required; otherwise the RFC 6750 {@code Bearer} challenge.
   * Shared with the Spring starter, so every adapter answers alike.
   */
  public static Map<String, String> refused(
      JwtVerifier verifier, String realm, RejectionReason r, boolean dpopPresented) {
    if (r.httpStatus() != 401) {
      return Map.of("Cache-Control", "no-store", "Retry-After", "" + r.retryAfterSeconds());
    }
    if (!(dpopPresented || r.dpop() || verifier.requiresDpop())) {
      return challenge(ErrorResponse.invalidTokenChallenge(realm, r.message()));
    }
    Map<String, String> h =
        challenge(
            Dpop.challenge(realm, r.challengeError(), r.message(), verifier.dpop().algorithms()));
    if (r == RejectionReason.DPOP_NONCE_REQUIRED) {
      verifier.dpop().currentNonce().ifPresent(n -> h.put(Dpop.NONCE_HEADER, n));
    }
    return h;
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
    return challenge(Dpop.challenge(realm, error, description, verifier.dpop().algorithms()));
  }

  private static Map<String, String> challenge(String value) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(ErrorResponse.WWW_AUTHENTICATE, value);
    h.put("Cache-Control", "no-store");
    return h;
  }
}
