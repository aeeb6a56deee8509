package dev.latchkey.verifier.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;

/** Mints tokens the way the Latchkey auth server does, with hooks to break them. */
public final class Tokens {
  public static final String ISSUER = "http://localhost:9000";
  public static final String AUDIENCE = "latchkey-demo";

  private Tokens() {}

  /** Valid claims at {@code clock}'s now: iss sub aud exp(+1h) iat jti sid. */
  public static JWTClaimsSet.Builder claims(Clock clock) {
    Instant now = clock.instant();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("user-42")
        .audience(List.of(AUDIENCE))
        .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
        .issueTime(Date.from(now))
        .jwtID("jti-1")
        .claim("sid", "session-7");
  }

  public static JWSHeader.Builder header(JWSAlgorithm alg, String kid) {
    return new JWSHeader.Builder(alg).keyID(kid).type(new JOSEObjectType("at+jwt"));
  }

  public static String rs256(RSAKey key, Clock clock) {
    return sign(key, header(JWSAlgorithm.RS256, key.getKeyID()).build(), claims(clock).build());
  }

  public static String rs256(RSAKey key, Clock clock, UnaryOperator<JWTClaimsSet.Builder> edit) {
    return sign(
        key, header(JWSAlgorithm.RS256, key.getKeyID()).build(), edit.apply(claims(clock)).build());
  }

  public static String sign(RSAKey key, JWSHeader header, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sign(ECKey key, JWSHeader header, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String b64(String json) {
    return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** Signs arbitrary header and payload text (hostile JSON) with a real signer. */
  public static String signRaw(
      String headerJson, String payloadJson, JWSSigner signer, JWSHeader h) {
    try {
      String input = b64(headerJson) + "." + b64(payloadJson);
      Base64URL sig = signer.sign(h, input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + sig;
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
