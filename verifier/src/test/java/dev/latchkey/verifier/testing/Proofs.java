package dev.latchkey.verifier.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.latchkey.verifier.dpop.DpopProofChecker;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/** DPoP proofs and bound tokens, made with the Nimbus OAuth SDK's proof factory (not our code). */
public final class Proofs {
  private Proofs() {}

  /** A client's proof key pair (P-256, ES256). */
  public static ECKey clientKey(String name) {
    return Keys.ec("dpop-" + name);
  }

  /** The RFC 7638 thumbprint of {@code key}: what a bound token carries as {@code cnf.jkt}. */
  public static String thumbprint(JWK key) {
    try {
      return key.toPublicJWK().computeThumbprint().toString();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A session token bound to {@code client}'s key, signed by {@code issuerKey}. */
  public static String boundToken(com.nimbusds.jose.jwk.RSAKey issuerKey, Clock clock, JWK client) {
    return Tokens.rs256(issuerKey, clock, c -> c.claim("cnf", Map.of("jkt", thumbprint(client))));
  }

  /**
   * A proof for {@code method} {@code url} and {@code token} (null: no ath), issued at {@code iat}.
   */
  public static String proof(
      ECKey client, String method, URI url, String token, Instant iat, String nonce) {
    try {
      return new DefaultDPoPProofFactory(client, JWSAlgorithm.ES256)
          .createDPoPJWT(
              new JWTID(),
              method,
              url,
              Date.from(iat),
              token == null ? null : new DPoPAccessToken(token),
              nonce == null ? null : new Nonce(nonce))
          .serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String proof(ECKey client, String method, URI url, String token, Clock clock) {
    return proof(client, method, url, token, clock.instant(), null);
  }

  /** A checker at the defaults on {@code clock} (for tests that build their own verifier). */
  public static DpopProofChecker.Builder checker(Clock clock) {
    return DpopProofChecker.builder().clock(clock);
  }
}
