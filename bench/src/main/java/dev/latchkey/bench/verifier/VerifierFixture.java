package dev.latchkey.bench.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.verifier.JwtVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * One RS256 token shaped like a Latchkey session token (2048-bit key, typ at+jwt, iss sub aud exp
 * iat jti sid), and everything needed to verify it three ways: the full verifier without cache, the
 * verifier with its verified-token cache, and Nimbus's raw {@link RSASSAVerifier}.
 */
public final class VerifierFixture {
  public static final String ISSUER = "http://localhost:9000";
  public static final String AUDIENCE = "latchkey-demo";

  public final String token;
  public final JwtVerifier uncached;
  public final JwtVerifier cached;
  public final RSASSAVerifier raw;
  public final JWSHeader header;
  public final byte[] signingInput;
  public final Base64URL signature;

  public VerifierFixture() {
    try {
      RSAKey key = new RSAKeyGenerator(2048).keyID("bench-1").generate();
      Instant now = Instant.now();
      JWTClaimsSet claims =
          new JWTClaimsSet.Builder()
              .issuer(ISSUER)
              .subject("user-42")
              .audience(List.of(AUDIENCE))
              .expirationTime(Date.from(now.plus(Duration.ofDays(1))))
              .issueTime(Date.from(now))
              .jwtID("2b1e7f0c-9d0e-4a53-8f36-3c1d2b9c7a11")
              .claim("sid", "5f0a8c2e-1b7d-4e93-a6c4-0d9e8b7a6f52")
              .build();
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID("bench-1")
                  .type(new JOSEObjectType("at+jwt"))
                  .build(),
              claims);
      jwt.sign(new RSASSASigner(key));
      token = jwt.serialize();
      JWKSet keys = new JWKSet(key.toPublicJWK());
      uncached =
          JwtVerifier.withJwkSet(keys)
              .issuer(ISSUER)
              .audience(AUDIENCE)
              .verifiedTokenCache(false)
              .build();
      cached = JwtVerifier.withJwkSet(keys).issuer(ISSUER).audience(AUDIENCE).build();
      cached.verify(token); // warm the cache entry
      raw = new RSASSAVerifier(key.toRSAPublicKey());
      SignedJWT parsed = SignedJWT.parse(token);
      header = parsed.getHeader();
      signingInput = parsed.getSigningInput();
      signature = parsed.getSignature();
      if (!new String(signingInput, StandardCharsets.US_ASCII)
          .equals(token.substring(0, token.lastIndexOf('.')))) {
        throw new IllegalStateException("signing input mismatch");
      }
    } catch (JOSEException | java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }
}
