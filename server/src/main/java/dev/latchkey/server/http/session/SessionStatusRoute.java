package dev.latchkey.server.http.session;

import dev.latchkey.server.delivery.SessionTokenVerifier;
import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.SessionAnswer;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.wire.BearerToken;
import dev.latchkey.verifier.wire.ErrorResponse;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/session}: the session of the bearer token, else of the session cookie. {@code 200
 * {"idToken"?, "expiresIn"}} or {@code 401} with {@code WWW-Authenticate}.
 */
public final class SessionStatusRoute {
  private final BrowserCookies cookies;
  private final SessionTokenVerifier ownTokens;
  private final Sessions sessions;
  private final SessionAnswer answer;

  public SessionStatusRoute(
      BrowserCookies cookies,
      SessionTokenVerifier ownTokens,
      Sessions sessions,
      SessionAnswer answer) {
    this.cookies = cookies;
    this.ownTokens = ownTokens;
    this.sessions = sessions;
    this.answer = answer;
  }

  public void handle(Context ctx) {
    Caching.noStore(ctx);
    Optional<String> presented = bearer(ctx).or(() -> cookies.sessionToken(ctx));
    if (presented.isEmpty()) {
      throw new ApiError(
          401,
          "unauthorized",
          "No session: log in first.",
          Map.of(
              ErrorResponse.WWW_AUTHENTICATE,
              ErrorResponse.challenge(ErrorResponse.DEFAULT_REALM)));
    }
    String token = presented.get();
    VerifiedToken claims =
        ownTokens
            .verify(token)
            .filter(this::notRevoked)
            .orElseThrow(
                () ->
                    new ApiError(
                        401,
                        "invalid_token",
                        "The session is invalid or has expired: log in again.",
                        Map.of(
                            ErrorResponse.WWW_AUTHENTICATE,
                            ErrorResponse.invalidTokenChallenge(
                                ErrorResponse.DEFAULT_REALM,
                                "The session is invalid or has expired"))));
    answer.write(ctx, token, ownTokens.secondsLeft(claims));
  }

  /** A logged-out session is over here at once, whatever its token's expiry says. */
  private boolean notRevoked(VerifiedToken token) {
    String sid = token.sessionId();
    return sessions.isLive(sid);
  }

  /**
   * The token of the request's {@code Authorization: Bearer} header (see {@link
   * BearerToken#parse}).
   */
  static Optional<String> bearer(Context ctx) {
    return Optional.ofNullable(BearerToken.parse(ctx.header(BearerToken.HEADER)));
  }
}
