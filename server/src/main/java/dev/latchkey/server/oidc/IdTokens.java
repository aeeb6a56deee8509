package dev.latchkey.server.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import dev.latchkey.server.keys.ActiveKey;
import dev.latchkey.server.keys.SigningKeys;
import dev.latchkey.server.users.Account;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Signs ID tokens with the active signing key: header {@code typ: JWT} (never the session token's
 * {@code at+jwt}, so no verifier of session tokens accepts one), claims {@code iss sub aud=client
 * azp iat exp auth_time sid at_hash}, {@code amr} (how the user signed in) when the sign-in said,
 * the client's {@code nonce} when it sent one, and {@code email email_verified} with the {@code
 * email} scope.
 */
public final class IdTokens {
  private final SigningKeys keys;
  private final String issuer;
  private final Duration lifetime;
  private final Clock clock;

  public IdTokens(SigningKeys keys, String issuer, Duration lifetime, Clock clock) {
    this.keys = keys;
    this.issuer = issuer;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /** What an ID token says, beyond the issuer and the times. */
  public record Subject(Account account, OidcGrant grant, String nonce, String accessToken) {}

  /**
   * The claims of an ID token this server signed ({@code id_token_hint} at logout): the signature
   * by a published key, {@code typ: JWT} and the issuer are checked; an expired one is still a hint
   * (OpenID Connect RP-Initiated Logout 1.0 §2).
   */
  public Optional<JWTClaimsSet> readHint(String idToken) {
    if (idToken == null || idToken.isEmpty() || idToken.length() > 8192) {
      return Optional.empty();
    }
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256),
            new ImmutableJWKSet<>(keys.publicJwkSet())));
    processor.setJWTClaimsSetVerifier(
        (claims, context) -> {
          if (!issuer.equals(claims.getIssuer())) {
            throw new BadJWTException("another issuer");
          }
        });
    try {
      return Optional.of(processor.process(idToken, null));
    } catch (ParseException | BadJOSEException | JOSEException e) {
      return Optional.empty();
    }
  }

  public String sign(Subject s) {
    ActiveKey key = keys.active();
    Instant iat = Instant.ofEpochSecond(clock.instant().getEpochSecond());
    OidcGrant grant = s.grant();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(s.account().id())
            .audience(grant.clientId())
            .claim("azp", grant.clientId())
            .issueTime(Date.from(iat))
            .expirationTime(Date.from(iat.plus(lifetime)))
            .jwtID(UUID.randomUUID().toString())
            .claim("auth_time", grant.authTime().getEpochSecond())
            .claim("sid", grant.sid())
            .claim(
                "at_hash",
                AccessTokenHash.compute(new BearerAccessToken(s.accessToken()), key.algorithm())
                    .getValue());
    if (!grant.amr().isEmpty()) {
      claims.claim("amr", grant.amr());
    }
    if (s.nonce() != null) {
      claims.claim("nonce", s.nonce());
    }
    if (grant.scopes().contains(Scopes.EMAIL)) {
      claims.claim("email", s.account().email());
      claims.claim("email_verified", s.account().emailVerified());
    }
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(key.algorithm())
                .keyID(key.kid())
                .type(JOSEObjectType.JWT)
                .build(),
            claims.build());
    try {
      jwt.sign(key.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("signing with key " + key.kid() + " failed", e);
    }
    return jwt.serialize();
  }
}
