package dev.latchkey.server.http.session;

import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.DpopProofs;
import dev.latchkey.server.http.exchange.ScriptedRequests;
import dev.latchkey.server.http.exchange.SessionAnswer;
import dev.latchkey.server.metrics.ServerMetrics;
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
 * {@code 404} while refresh sessions are off; {@code 415} for what a cross-site form could send
 * (see {@link ScriptedRequests}). A session bound to a DPoP key is refreshed only with a valid
 * proof of that key ({@code 400 invalid_dpop_proof} otherwise, the session and cookie untouched); a
 * session not bound yet is bound to the key of a valid proof.
 */
public final class RefreshRoute {
  private final boolean enabled;
  private final RefreshProtocol sessions;
  private final TokenIssuer tokens;
  private final BrowserCookies cookies;
  private final SessionAnswer answer;
  private final DpopProofs proofs;
  private final ServerMetrics metrics;

  public RefreshRoute(
      boolean enabled,
      RefreshProtocol sessions,
      TokenIssuer tokens,
      BrowserCookies cookies,
      SessionAnswer answer,
      DpopProofs proofs,
      ServerMetrics metrics) {
    this.proofs = proofs;
    this.metrics = metrics;
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
    ScriptedRequests.require(ctx);
    Caching.noStore(ctx);
    proofs.offerNonce(ctx);
    String dpopKey = proofs.keyOf(ctx).orElse(null);
    SessionTokens session;
    try {
      session = sessions.refresh(cookies.refreshToken(ctx), tokens, dpopKey);
    } catch (RefreshRejected e) {
      metrics.refreshRefused(e.reason());
      if (e.reason() == RefreshFailure.CONTENDED) {
        // Not an ended session: the client tries again with the cookie it has.
        throw new ApiError(
            503,
            "refresh_contended",
            "The session is being renewed by another request; try again.",
            Map.of("Retry-After", "1"));
      }
      if (e.reason() == RefreshFailure.WRONG_DPOP_KEY) {
        throw proofs.wrongKey(ctx); // the owner's session goes on: the cookie stays
      }
      cookies.clearRefresh(ctx);
      throw new ApiError(401, "invalid_refresh_token", "The session has ended; log in again.");
    }
    metrics.refreshed();
    cookies.setOnLogin(ctx, session);
    answer.write(ctx, session.access());
  }
}
