package dev.latchkey.server.http.session;

import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.SessionAnswer;
import dev.latchkey.server.sessions.RefreshFailure;
import dev.latchkey.server.sessions.RefreshProtocol;
import dev.latchkey.server.sessions.RefreshRejected;
import dev.latchkey.server.sessions.SessionTokens;
import dev.latchkey.server.tokens.TokenIssuer;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code POST /api/refresh}: trades the refresh cookie for a new token pair (rotation), answering
 * as a login does; {@code 401 invalid_refresh_token} and a deleted cookie when the session is over.
 * {@code 503} + {@code Retry-After} (cookie kept) when other requests kept rotating the same token.
 * {@code 404} while refresh sessions are off.
 */
public final class RefreshRoute {
  /** The request attribute naming why a refresh was refused ({@link RefreshFailure}). */
  public static final String REFRESH_FAILURE = "latchkey.refreshFailure";

  private final boolean enabled;
  private final RefreshProtocol sessions;
  private final TokenIssuer tokens;
  private final BrowserCookies cookies;
  private final SessionAnswer answer;

  public RefreshRoute(
      boolean enabled,
      RefreshProtocol sessions,
      TokenIssuer tokens,
      BrowserCookies cookies,
      SessionAnswer answer) {
    this.enabled = enabled;
    this.sessions = sessions;
    this.tokens = tokens;
    this.cookies = cookies;
    this.answer = answer;
  }

  public void handle(Context ctx) {
    if (!enabled) {
      throw ApiError.notFound();
    }
    Caching.noStore(ctx);
    SessionTokens session;
    try {
      session = sessions.refresh(cookies.refreshToken(ctx), tokens);
    } catch (RefreshRejected e) {
      ctx.attribute(REFRESH_FAILURE, e.reason()); // for the metrics
      if (e.reason() == RefreshFailure.CONTENDED) {
        // Not an ended session: the client tries again with the cookie it has.
        throw new ApiError(
            503,
            "refresh_contended",
            "The session is being renewed by another request; try again.",
            Map.of("Retry-After", "1"));
      }
      throw new ApiError(
          401,
          "invalid_refresh_token",
          "The session has ended; log in again.",
          Map.of("Set-Cookie", cookies.clearedRefresh()));
    }
    cookies.setOnLogin(ctx, session);
    answer.write(ctx, session.access().token(), session.access().expiresIn());
  }
}
