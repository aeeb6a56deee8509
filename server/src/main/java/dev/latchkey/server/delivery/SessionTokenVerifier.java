package dev.latchkey.server.delivery;

import com.nimbusds.jose.JWSAlgorithm;
import dev.latchkey.server.keys.SigningKeys;
import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.TokenRejectedException;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.dpop.DpopProofChecker;
import dev.latchkey.verifier.dpop.DpopRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * How the auth server checks its own session tokens (the session cookie, a bearer token at logout
 * or {@code /api/session}): the verifier library's {@link JwtVerifier} over the store's current JWK
 * Set, so a revoked key stops verifying at once and the server applies exactly the checks an
 * application server does ({@code typ}, {@code iss}, {@code aud}, required claims, skew).
 */
public final class SessionTokenVerifier {
  private final JwtVerifier verifier;
  private final Clock clock;

  /**
   * @param type the {@code typ} this server writes ({@code at+jwt}, or {@code JWT} when configured
   *     so): the only one accepted
   * @param dpop the checker of the proofs that come with bound tokens (the one the login routes
   *     use, with the replay store every instance shares)
   */
  public SessionTokenVerifier(
      SigningKeys keys,
      String issuer,
      String audience,
      String type,
      Clock clock,
      Duration clockSkew,
      DpopProofChecker dpop) {
    this.clock = clock;
    this.verifier =
        JwtVerifier.withJwkSetSupplier(keys::publicJwkSet)
            .issuer(issuer)
            .audience(audience)
            .algorithms(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256)
            .allowedTypes(type)
            .requiredClaims("sub", "iat", "exp", "jti", "sid")
            .clock(clock)
            .clockSkew(clockSkew)
            .dpop(dpop)
            .build();
  }

  /**
   * The token when this server signed it (signature by a published key, {@code typ}, {@code iss},
   * {@code aud}), even when it has expired: logging out with it still ends its session, and with
   * refresh sessions that session outlives its access tokens. Its DPoP binding is not checked: for
   * a token the request cannot have copied (the HttpOnly session cookie, never bound).
   */
  public Optional<VerifiedToken> verifyIgnoringExpiry(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(verifier.verifyIgnoringExpiry(token));
    } catch (TokenRejectedException e) {
      return Optional.empty();
    }
  }

  /**
   * A token as {@link #verifyIgnoringExpiry} (even when it has expired), presented as {@code
   * Authorization: Bearer} ({@code dpopRequest} null: not bound) or as {@code DPoP} with a proof of
   * its key for this request: what ends a session at logout.
   *
   * @throws TokenRejectedException why not
   */
  public VerifiedToken verifyPresentedIgnoringExpiry(String token, DpopRequest dpopRequest) {
    return verifier.verifyPresentedIgnoringExpiry(token, dpopRequest);
  }

  /**
   * A token sent as {@code Authorization: DPoP} with its proof, when it is valid now, bound, and
   * the proof is of its key, for this request and this token ({@code ath}).
   *
   * @throws TokenRejectedException why not
   */
  public VerifiedToken verifyDpop(String token, DpopRequest request) {
    return verifier.verifyDpop(token, request);
  }

  /** The token when it is valid now and not bound to a DPoP key, else empty. */
  public Optional<VerifiedToken> verify(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(verifier.verify(token));
    } catch (TokenRejectedException e) {
      return Optional.empty();
    }
  }

  /**
   * A token sent as {@code Authorization: Bearer} (or in a cookie), when it is valid now and not
   * bound to a DPoP key.
   *
   * @throws TokenRejectedException why not ({@code DPOP_REQUIRED} for a bound token)
   */
  public VerifiedToken verifyBearer(String token) {
    return verifier.verify(token);
  }

  /** Whole seconds until the token expires, never negative. */
  public long secondsLeft(VerifiedToken token) {
    long left = token.expiresAt().getEpochSecond() - clock.instant().getEpochSecond();
    return Math.max(0, left);
  }
}
