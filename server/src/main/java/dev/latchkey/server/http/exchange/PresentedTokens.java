package dev.latchkey.server.http.exchange;

import dev.latchkey.server.delivery.SessionTokenVerifier;
import dev.latchkey.verifier.TokenRejectedException;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.dpop.DpopRequest;
import dev.latchkey.verifier.wire.BearerToken;
import dev.latchkey.verifier.wire.Dpop;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * How the auth server reads a session token a request presents in {@code Authorization}, on every
 * route that takes one ({@code GET /api/session}, logout, the account and second-factor routes,
 * {@code /userinfo}): the one place that decides between the schemes. Logout checks the same, but
 * for the token's times ({@link #sessionToEnd}).
 *
 * <ul>
 *   <li>{@code DPoP <token>} with a {@code DPoP} proof: checked as an application server checks it
 *       (the token bound, the proof of its {@code cnf.jkt} key, for this token ({@code ath}), this
 *       method and this route's public URL, not seen before by any instance, with the current nonce
 *       when nonces are on);
 *   <li>{@code Bearer <token>}: valid and not bound.
 * </ul>
 *
 * A refusal that concerns DPoP is {@code 401} with a {@code DPoP} challenge (RFC 9449 §7.1): {@code
 * invalid_dpop_proof} for the proof, {@code use_dpop_nonce}, {@code invalid_token} for a bound
 * token sent as {@code Bearer} or an unbound one as {@code DPoP}. Any other invalid token (expired,
 * foreign) is left to the route, which answers as it answers a missing session.
 */
public final class PresentedTokens {
  private final SessionTokenVerifier ownTokens;
  private final DpopProofs proofs;

  public PresentedTokens(SessionTokenVerifier ownTokens, DpopProofs proofs) {
    this.ownTokens = ownTokens;
    this.proofs = proofs;
  }

  /**
   * A token of the {@code Authorization} header.
   *
   * @param token as sent
   * @param verified the token when it is valid now (and, sent as {@code DPoP}, its proof too)
   * @param bound whether it came as {@code DPoP} with its proof
   */
  public record PresentedToken(String token, Optional<VerifiedToken> verified, boolean bound) {}

  /**
   * The request's {@code Authorization} token, checked as its scheme says; empty without one of
   * these schemes.
   *
   * @throws ApiError {@code 401} with a {@code DPoP} challenge for a refusal that concerns DPoP
   *     ({@code 503} when the shared replay store cannot take the proof now)
   */
  public Optional<PresentedToken> read(Context ctx) {
    return presented(
        ctx,
        (token, dpop) ->
            dpop == null ? ownTokens.verifyBearer(token) : ownTokens.verifyDpop(token, dpop));
  }

  /**
   * The session a logout's {@code Authorization} token names: checked as {@link #read} checks it
   * but for its times, since an expired token still ends its session. A bound token ends it only as
   * {@code DPoP} with a proof of its key, so a copied one cannot log its owner out. Empty without a
   * token of either scheme, or for one this server did not sign.
   *
   * @throws ApiError as {@link #read}
   */
  public Optional<String> sessionToEnd(Context ctx) {
    return presented(ctx, ownTokens::verifyPresentedIgnoringExpiry)
        .flatMap(PresentedToken::verified)
        .map(VerifiedToken::sessionId);
  }

  /**
   * The one reading of the schemes: {@code DPoP <token>} is verified with the request's proof (and
   * offered the current nonce), {@code Bearer <token>} without one ({@code null}).
   */
  private Optional<PresentedToken> presented(
      Context ctx, BiFunction<String, DpopRequest, VerifiedToken> verification) {
    String header = ctx.header(BearerToken.HEADER);
    String dpopToken = Dpop.parse(header);
    if (dpopToken != null) {
      proofs.offerNonce(ctx);
      DpopRequest request = proofs.request(ctx);
      return Optional.of(
          new PresentedToken(
              dpopToken, checked(() -> verification.apply(dpopToken, request)), true));
    }
    String bearer = BearerToken.parse(header);
    if (bearer == null) {
      return Optional.empty();
    }
    return Optional.of(
        new PresentedToken(bearer, checked(() -> verification.apply(bearer, null)), false));
  }

  private Optional<VerifiedToken> checked(Supplier<VerifiedToken> verification) {
    try {
      return Optional.of(verification.get());
    } catch (TokenRejectedException e) {
      if (e.reason().dpop()) {
        throw proofs.tokenRefusal(e.reason());
      }
      return Optional.empty();
    }
  }
}
