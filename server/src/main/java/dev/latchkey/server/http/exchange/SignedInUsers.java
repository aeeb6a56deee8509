package dev.latchkey.server.http.exchange;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.server.delivery.SessionTokenVerifier;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.wire.AuthenticationMethods;
import dev.latchkey.verifier.wire.ErrorResponse;
import dev.latchkey.verifier.wire.Xsrf;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who is signed in on a request to the auth server's own account endpoints (password change, second
 * factors): the session of the {@code Authorization} token as {@link PresentedTokens} reads it
 * ({@code Bearer}, or {@code DPoP} with a proof of the token's key), else of the session cookie
 * with the session's XSRF header on every method but {@code GET} (a cross-site page can make the
 * browser send the cookie, never the header; a tossed XSRF cookie is not this session's): 403
 * {@code xsrf_mismatch} without it. A revoked session is refused with 401.
 */
public final class SignedInUsers {
  private final PresentedTokens presented;
  private final SessionTokenVerifier ownTokens;
  private final BrowserCookies cookies;
  private final Sessions sessions;

  public SignedInUsers(
      PresentedTokens presented,
      SessionTokenVerifier ownTokens,
      BrowserCookies cookies,
      Sessions sessions) {
    this.presented = presented;
    this.ownTokens = ownTokens;
    this.cookies = cookies;
    this.sessions = sessions;
  }

  /**
   * A signed-in user: the subject, the session, how the session signed in ({@code amr}) and the
   * thumbprint of the DPoP key its token is bound to (null for a bearer session).
   */
  public record SignedInUser(String userId, String sid, List<String> amr, String dpopKey) {}

  /**
   * The request's signed-in user.
   *
   * @throws ApiError 401 without a valid, unrevoked session (with a {@code DPoP} challenge for a
   *     refusal that concerns DPoP); 403 {@code xsrf_mismatch}
   */
  public SignedInUser require(Context ctx) {
    Optional<PresentedTokens.PresentedToken> token = presented.read(ctx);
    Optional<VerifiedToken> verified;
    if (token.isPresent()) {
      verified = token.get().verified();
    } else {
      verified = cookies.sessionToken(ctx).flatMap(ownTokens::verify);
      if (verified.isPresent()
          && !"GET".equals(ctx.method().name())
          && !BrowserCookies.xsrfPasses(ctx, verified.get())) {
        throw new ApiError(
            403, Xsrf.MISMATCH_ERROR, Xsrf.mismatchMessage(Xsrf.COOKIE, Xsrf.HEADER));
      }
    }
    return verified
        .flatMap(SignedInUsers::signedIn)
        .filter(
            s -> sessions.find(s.sid()).map(session -> session.revokedAt() == null).orElse(false))
        .orElseThrow(
            () ->
                new ApiError(
                    401,
                    "unauthorized",
                    "No valid session: log in first.",
                    Map.of(
                        ErrorResponse.WWW_AUTHENTICATE,
                        ErrorResponse.challenge(ErrorResponse.DEFAULT_REALM))));
  }

  private static Optional<SignedInUser> signedIn(VerifiedToken token) {
    JWTClaimsSet claims = token.claimsSet();
    Object sid = claims.getClaim("sid");
    String sub = claims.getSubject();
    return sid instanceof String id && sub != null
        ? Optional.of(
            new SignedInUser(
                sub,
                id,
                AuthenticationMethods.of(claims.getClaim(AuthenticationMethods.CLAIM)),
                token.boundKeyThumbprint().orElse(null)))
        : Optional.empty();
  }
}
