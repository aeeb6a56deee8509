package dev.latchkey.server.http.session;

import dev.latchkey.server.delivery.SessionTokenVerifier;
import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.DpopProofs;
import dev.latchkey.server.http.exchange.SessionAnswer;
import dev.latchkey.server.sessions.LiveSession;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.TokenRejectedException;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.wire.BearerToken;
import dev.latchkey.verifier.wire.Dpop;
import dev.latchkey.verifier.wire.ErrorResponse;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/session}: the session of the {@code Authorization} token ({@code Bearer} or
 * {@code DPoP}), else of the session cookie. {@code 200 {"idToken"?, "tokenType"?, "expiresIn"}} or
 * {@code 401} with {@code WWW-Authenticate}. A bound token comes as {@code DPoP} with a proof of
 * its key for this request (checked as an application server checks it); as {@code Bearer} it is
 * {@code 401 invalid_token}.
 *
 * <p>With a valid DPoP proof it is where a page signed in through the hosted login page (its token
 * in an HttpOnly cookie) gets a token bound to its key: the session is bound from then on, its
 * refresh family too. A bound session answers only a request with a proof of its key ({@code 400
 * invalid_dpop_proof} otherwise), so a script without the key cannot read a token of it.
 */
public final class SessionStatusRoute {
  private final BrowserCookies cookies;
  private final SessionTokenVerifier ownTokens;
  private final Sessions sessions;
  private final SessionAnswer answer;
  private final DpopProofs proofs;
  private final TokenIssuer tokens;

  public SessionStatusRoute(
      BrowserCookies cookies,
      SessionTokenVerifier ownTokens,
      Sessions sessions,
      SessionAnswer answer,
      DpopProofs proofs,
      TokenIssuer tokens) {
    this.cookies = cookies;
    this.ownTokens = ownTokens;
    this.sessions = sessions;
    this.answer = answer;
    this.proofs = proofs;
    this.tokens = tokens;
  }

  public void handle(Context ctx) {
    Caching.noStore(ctx);
    proofs.offerNonce(ctx);
    String dpopToken = Dpop.parse(ctx.header(BearerToken.HEADER));
    if (dpopToken != null) {
      answerBound(ctx, dpopToken);
      return;
    }
    Optional<String> proofKey = proofs.keyOf(ctx);
    Optional<String> presented =
        Optional.ofNullable(BearerToken.parse(ctx.header(BearerToken.HEADER)))
            .or(() -> cookies.sessionToken(ctx));
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
    Optional<VerifiedToken> verified = ownTokens.verify(token); // a bound token is refused here
    // a logged-out session is over here at once, whatever its token's expiry says
    LiveSession session =
        verified.flatMap(t -> sessions.live(t.sessionId())).orElseThrow(SessionStatusRoute::ended);
    if (!session.bound() && proofKey.isEmpty()) {
      answer.write(ctx, token, ownTokens.secondsLeft(verified.get()));
      return;
    }
    if (session.bound() && !proofKey.equals(Optional.of(session.dpopKey()))) {
      throw proofs.wrongKey(ctx);
    }
    answer.write(
        ctx,
        sessions
            .issueBound(session.sid(), proofKey.get(), tokens)
            .orElseThrow(() -> proofs.wrongKey(ctx)));
  }

  /** A bound token with its proof: checked as an application server checks it. */
  private void answerBound(Context ctx, String token) {
    VerifiedToken claims;
    try {
      claims = ownTokens.verifyDpop(token, proofs.request(ctx));
    } catch (TokenRejectedException e) {
      throw e.reason().dpop() && e.reason() != RejectionReason.DPOP_TOKEN_NOT_BOUND
          ? proofs.refusal(e.reason())
          : ended();
    }
    if (sessions.live(claims.sessionId()).isEmpty()) {
      throw ended();
    }
    answer.write(ctx, token, true, ownTokens.secondsLeft(claims), Map.of());
  }

  private static ApiError ended() {
    return new ApiError(
        401,
        "invalid_token",
        "The session is invalid or has expired: log in again.",
        Map.of(
            ErrorResponse.WWW_AUTHENTICATE,
            ErrorResponse.invalidTokenChallenge(
                ErrorResponse.DEFAULT_REALM, "The session is invalid or has expired")));
  }

  /**
   * The token of the request's {@code Authorization} header, {@code Bearer} (see {@link
   * BearerToken#parse}) or {@code DPoP} (see {@link Dpop#parse}): what names a session to log out.
   */
  static Optional<String> authorization(Context ctx) {
    String header = ctx.header(BearerToken.HEADER);
    return Optional.ofNullable(BearerToken.parse(header))
        .or(() -> Optional.ofNullable(Dpop.parse(header)));
  }
}
