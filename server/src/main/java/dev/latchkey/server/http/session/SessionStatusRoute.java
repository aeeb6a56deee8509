package dev.latchkey.server.http.session;

import dev.latchkey.server.delivery.SessionTokenVerifier;
import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.DpopProofs;
import dev.latchkey.server.http.exchange.PresentedTokens;
import dev.latchkey.server.http.exchange.PresentedTokens.PresentedToken;
import dev.latchkey.server.http.exchange.SessionAnswer;
import dev.latchkey.server.sessions.LiveSession;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.wire.ErrorResponse;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/session}: the session of the {@code Authorization} token ({@code Bearer} or
 * {@code DPoP}, read by {@link PresentedTokens}), else of the session cookie. {@code 200
 * {"idToken"?, "tokenType"?, "expiresIn"}} or {@code 401} with {@code WWW-Authenticate}. A bound
 * token comes as {@code DPoP} with a proof of its key for this request (checked as an application
 * server checks it: {@code 401 invalid_dpop_proof} otherwise); as {@code Bearer} it is {@code 401
 * invalid_token}.
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
  private final PresentedTokens presented;

  public SessionStatusRoute(
      BrowserCookies cookies,
      SessionTokenVerifier ownTokens,
      PresentedTokens presented,
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
    this.presented = presented;
  }

  public void handle(Context ctx) {
    Caching.noStore(ctx);
    proofs.offerNonce(ctx);
    Optional<PresentedToken> fromHeader = presented.read(ctx);
    if (fromHeader.filter(PresentedToken::bound).isPresent()) {
      answerBound(ctx, fromHeader.get());
      return;
    }
    Optional<String> proofKey = proofs.keyOf(ctx);
    Optional<String> token =
        fromHeader.map(PresentedToken::token).or(() -> cookies.sessionToken(ctx));
    if (token.isEmpty()) {
      throw new ApiError(
          401,
          "unauthorized",
          "No session: log in first.",
          Map.of(
              ErrorResponse.WWW_AUTHENTICATE,
              ErrorResponse.challenge(ErrorResponse.DEFAULT_REALM)));
    }
    Optional<VerifiedToken> verified =
        fromHeader.isPresent()
            ? fromHeader.get().verified()
            : ownTokens.verify(token.get()); // a bound token is refused here
    // a logged-out session is over here at once, whatever its token's expiry says
    LiveSession session =
        verified.flatMap(t -> sessions.live(t.sessionId())).orElseThrow(SessionStatusRoute::ended);
    if (!session.bound() && proofKey.isEmpty()) {
      answer.write(ctx, token.get(), ownTokens.secondsLeft(verified.get()));
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

  /** A bound token with its proof, already checked as an application server checks it. */
  private void answerBound(Context ctx, PresentedToken bound) {
    VerifiedToken claims = bound.verified().orElseThrow(SessionStatusRoute::ended);
    if (sessions.live(claims.sessionId()).isEmpty()) {
      throw ended();
    }
    answer.write(ctx, bound.token(), true, ownTokens.secondsLeft(claims), Map.of());
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
}
