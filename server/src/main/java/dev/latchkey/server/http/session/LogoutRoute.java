package dev.latchkey.server.http.session;

import dev.latchkey.server.delivery.SessionTokenVerifier;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.metrics.ServerMetrics;
import dev.latchkey.server.sessions.SessionRevocation;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.verifier.VerifiedToken;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * {@code POST /api/logout} (and {@code /api/refresh/logout}): revokes the session named by the
 * request (bearer token, refresh cookie, session cookie), which also ends its refresh family, and
 * clears the cookies. Always {@code 204}: idempotent, and a missing, malformed, foreign or expired
 * credential simply revokes nothing.
 */
public final class LogoutRoute {
  private final Sessions sessions;
  private final SessionRevocation revocation;
  private final BrowserCookies cookies;
  private final SessionTokenVerifier ownTokens;
  private final ServerMetrics metrics;

  public LogoutRoute(
      Sessions sessions,
      SessionRevocation revocation,
      BrowserCookies cookies,
      SessionTokenVerifier ownTokens,
      ServerMetrics metrics) {
    this.metrics = metrics;
    this.sessions = sessions;
    this.revocation = revocation;
    this.cookies = cookies;
    this.ownTokens = ownTokens;
  }

  public void handle(Context ctx) {
    Caching.noStore(ctx);
    boolean ended = sessionIdOf(ctx).map(revocation::revoke).orElse(false);
    cookies.clearOnLogout(ctx);
    metrics.logout(ended);
    ctx.status(204);
  }

  /** The session a logout names, from the first credential that identifies one. */
  private Optional<String> sessionIdOf(Context ctx) {
    return SessionStatusRoute.bearer(ctx)
        .flatMap(ownTokens::sessionIdOf)
        .or(() -> sessions.sessionOfRefreshToken(cookies.refreshToken(ctx)))
        .or(() -> sidFromSessionCookie(ctx));
  }

  /**
   * The session cookie names a session only with the session's XSRF header beside it: a cross-site
   * page can make the browser send the cookie, never the header, so it cannot log a user out; nor
   * can a sibling sub-domain that tosses its own XSRF cookie.
   */
  private Optional<String> sidFromSessionCookie(Context ctx) {
    return cookies
        .sessionToken(ctx)
        .flatMap(ownTokens::verifyIgnoringExpiry)
        .filter(token -> BrowserCookies.xsrfPasses(ctx, token))
        .map(VerifiedToken::sessionId);
  }
}
