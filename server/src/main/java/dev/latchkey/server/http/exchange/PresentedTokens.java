package dev.latchkey.server.http.exchange;

import dev.latchkey.server.delivery.SessionTokenVerifier;
import dev.latchkey.verifier.TokenRejectedException;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.wire.BearerToken;
import dev.latchkey.verifier.wire.Dpop;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How the auth server reads a session token a request presents in {@code Authorization}, on every
 * route that takes one ({@code GET /api/session}, logout, the account and second-factor routes,
 * {@code /userinfo}): the one place that decides between the schemes.
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
    String header = ctx.header(BearerToken.HEADER);
    String dpopToken = Dpop.parse(header);
    if (dpopToken != null) {
      proofs.offerNonce(ctx);
      return Optional.of(
          new PresentedToken(
              dpopToken,
              checked(() -> ownTokens.verifyDpop(dpopToken, proofs.request(ctx))),
              true));
    }
    String bearer = BearerToken.parse(header);
    if (bearer == null) {
      return Optional.empty();
    }
    return Optional.of(
        new PresentedToken(bearer, checked(() -> ownTokens.verifyBearer(bearer)), false));
  }

  /**
   * The token of the {@code Authorization} header, either scheme, unchecked: what names a session
   * to log out (its proof is not needed to end it).
   */
  public static Optional<String> authorization(Context ctx) {
    String header = ctx.header(BearerToken.HEADER);
    return Optional.ofNullable(BearerToken.parse(header))
        .or(() -> Optional.ofNullable(Dpop.parse(header)));
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
