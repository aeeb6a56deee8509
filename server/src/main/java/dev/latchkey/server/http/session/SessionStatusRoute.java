package dev.latchkey.server.http.session;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.server.delivery.SessionTokenVerifier;
import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.SessionAnswer;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.wire.Wire;
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
          Map.of("WWW-Authenticate", Wire.bearerChallenge()));
    }
    String token = presented.get();
    JWTClaimsSet claims =
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
                            "WWW-Authenticate",
                            Wire.bearerChallenge(
                                "invalid_token", "The session is invalid or has expired"))));
    answer.write(ctx, token, ownTokens.secondsLeft(claims));
  }

  /** A logged-out session is over here at once, whatever its token's expiry says. */
  private boolean notRevoked(JWTClaimsSet claims) {
    Object sid = claims.getClaim("sid");
    return sid instanceof String id
        && sessions.find(id).map(session -> session.revokedAt() == null).orElse(true);
  }

  /** The token of the request's {@code Authorization: Bearer} header (see {@link Wire#bearer}). */
  static Optional<String> bearer(Context ctx) {
    return Wire.bearer(ctx.header("Authorization"));
  }
}
