package dev.latchkey.server.http.session;

import dev.latchkey.server.delivery.SessionTokenVerifier;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.PresentedTokens;
import dev.latchkey.server.http.exchange.ScriptedRequests;
import dev.latchkey.server.metrics.ServerMetrics;
import dev.latchkey.server.sessions.SessionRevocation;
import dev.latchkey.server.sessions.Sessions;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * {@code POST /api/logout} and {@code POST /api/refresh/logout}: revokes the session named by the
 * request, which also ends its refresh family, and clears the cookies. A request a cross-site form
 * could send is refused first ({@link ScriptedRequests}). Cookies are cleared only when the request
 * proved itself: a token this server signed (a DPoP-bound one only as {@code DPoP} with a proof of
 * its key, else {@code 401} with a {@code DPoP} challenge and nothing ended), the session cookie
 * with its XSRF header, or (on {@code /api/refresh/logout}, the only path a browser sends it to)
 * the refresh cookie. Otherwise {@code 204} with nothing revoked or cleared: idempotent, and a
 * missing, malformed or foreign credential simply revokes nothing; an expired token still ends its
 * session.
 */
public final class LogoutRoute {
  private final Sessions sessions;
  private final SessionRevocation revocation;
  private final BrowserCookies cookies;
  private final SessionTokenVerifier ownTokens;
  private final PresentedTokens presented;
  private final ServerMetrics metrics;

  public LogoutRoute(
      Sessions sessions,
      SessionRevocation revocation,
      BrowserCookies cookies,
      SessionTokenVerifier ownTokens,
      PresentedTokens presented,
      ServerMetrics metrics) {
    this.metrics = metrics;
    this.sessions = sessions;
    this.revocation = revocation;
    this.cookies = cookies;
    this.ownTokens = ownTokens;
    this.presented = presented;
  }

  /** {@code POST /api/logout}: by token, else by session cookie and XSRF header. */
  public void handle(Context ctx) {
    end(ctx, false);
  }

  /** {@code POST /api/refresh/logout}: the same, and by the refresh cookie. */
  public void handleRefreshLogout(Context ctx) {
    end(ctx, true);
  }

  private void end(Context ctx, boolean refreshCookieSent) {
    ScriptedRequests.require(ctx);
    Caching.noStore(ctx);
    Optional<Proof> proof = proofOf(ctx, refreshCookieSent);
    boolean ended = proof.flatMap(Proof::sessionId).map(revocation::revoke).orElse(false);
    if (proof.isPresent()) {
      cookies.clearOnLogout(ctx);
    }
    metrics.logout(ended);
    ctx.status(204);
  }

  /** What a request proved: that its sender holds a credential, and the session it names. */
  private record Proof(Optional<String> sessionId) {}

  /**
   * The first credential that proves the request, in the order token ({@code Bearer}, or {@code
   * DPoP} with a proof of its key: a bound token otherwise is refused, 401, and ends nothing),
   * refresh cookie, session cookie.
   */
  private Optional<Proof> proofOf(Context ctx, boolean refreshPath) {
    return presented
        .sessionToEnd(ctx)
        .map(sid -> new Proof(Optional.of(sid)))
        .or(() -> refreshPath ? byRefreshCookie(ctx) : Optional.empty())
        .or(() -> bySessionCookie(ctx));
  }

  /**
   * The refresh cookie is {@code SameSite=Strict} and scoped to {@code /api/refresh}: sent with a
   * non-simple request to its own path, it proves the request even when its session is over, so
   * that a stale cookie can be cleared.
   */
  private Optional<Proof> byRefreshCookie(Context ctx) {
    String token = cookies.refreshToken(ctx);
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Proof(sessions.sessionOfRefreshToken(token)));
  }

  /**
   * The session cookie proves a request only with the session's XSRF header beside it: a cross-site
   * page can make the browser send the cookie, never the header, so it cannot log a user out; nor
   * can a sibling sub-domain that tosses its own XSRF cookie.
   */
  private Optional<Proof> bySessionCookie(Context ctx) {
    return cookies
        .sessionToken(ctx)
        .flatMap(ownTokens::verifyIgnoringExpiry)
        .filter(token -> BrowserCookies.xsrfPasses(ctx, token))
        .map(token -> new Proof(Optional.ofNullable(token.sessionId())));
  }
}
