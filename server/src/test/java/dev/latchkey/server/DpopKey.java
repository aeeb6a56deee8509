package dev.latchkey.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * A client's DPoP key pair (P-256) and the proofs it signs: good ones made by the Nimbus OAuth
 * SDK's proof factory (not our code), and the malformed ones an attacker would try, built by hand.
 */
final class DpopKey {
  private final ECKey key;

  private DpopKey(ECKey key) {
    this.key = key;
  }

  static DpopKey generate() {
    try {
      return new DpopKey(new ECKeyGenerator(Curve.P_256).generate());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The RFC 7638 thumbprint: what a bound token carries as {@code cnf.jkt}. */
  String thumbprint() {
    try {
      return key.toPublicJWK().computeThumbprint().toString();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A proof for {@code method} {@code url}, issued at {@code iat}, with a nonce or without. */
  String proof(String method, String url, Instant iat, String nonce) {
    return proof(method, url, iat, nonce, null);
  }

  /**
   * A proof as {@link #proof(String, String, Instant, String)}, for an access token ({@code ath}).
   */
  String proof(String method, String url, Instant iat, String nonce, String accessToken) {
    try {
      return new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256)
          .createDPoPJWT(
              new JWTID(),
              method,
              URI.create(url),
              Date.from(iat),
              accessToken == null ? null : new DPoPAccessToken(accessToken),
              nonce == null ? null : new Nonce(nonce))
          .serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A well-signed proof whose {@code jwk} header carries the private key ({@code d}) too (built by
   * hand: Nimbus refuses to put a private key in a header).
   */
  String proofWithPrivateJwk(String method, String url, Instant iat) {
    String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" + key.toJSONString() + "}";
    String input = b64(header) + "." + b64(claims(method, url, iat).toString());
    try {
      Base64URL signature =
          new ECDSASigner(key)
              .sign(new JWSHeader(JWSAlgorithm.ES256), input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + signature;
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A proof that says {@code alg: none}, unsigned. */
  String unsignedProof(String method, String url, Instant iat) {
    String header =
        "{\"typ\":\"dpop+jwt\",\"alg\":\"none\",\"jwk\":" + key.toPublicJWK().toJSONString() + "}";
    return b64(header) + "." + b64(claims(method, url, iat).toString()) + ".";
  }

  /** A proof MACed with HS256 under a secret, naming the public key. */
  String hmacProof(String method, String url, Instant iat) {
    try {
      JWSHeader header =
          new JWSHeader.Builder(JWSAlgorithm.HS256)
              .type(new JOSEObjectType("dpop+jwt"))
              .jwk(key.toPublicJWK())
              .build();
      SignedJWT jwt = new SignedJWT(header, claims(method, url, iat));
      jwt.sign(new MACSigner(MessageDigest.getInstance("SHA-256").digest(new byte[32])));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JWTClaimsSet claims(String method, String url, Instant iat) {
    return new JWTClaimsSet.Builder()
        .jwtID(UUID.randomUUID().toString())
        .claim("htm", method)
        .claim("htu", url)
        .issueTime(Date.from(iat))
        .build();
  }

  private static String b64(String json) {
    return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
