package dev.latchkey.server.delivery;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.latchkey.server.keys.SigningKeys;
import dev.latchkey.server.wire.Wire;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a session token against this server's own published keys (the JWK Set it serves at {@code
 * /.well-known/jwks.json}), as any verifier would: signature with an allow-listed algorithm, {@code
 * typ at+jwt} (or {@code JWT}, the other type it may be configured to write), exact {@code iss},
 * {@code aud}, {@code exp} with the configured clock skew, and the required claims.
 */
public final class SessionTokenVerifier {
  private static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
  private static final int MAX_TOKEN_LENGTH = 8192;
  private static final JOSEObjectType TYPE = new JOSEObjectType(Wire.TOKEN_TYPE);

  private final DefaultJWTProcessor<SecurityContext> processor;
  private final DefaultJWTProcessor<SecurityContext> ignoringExpiry;
  private final Clock clock;

  public SessionTokenVerifier(
      SigningKeys keys, String issuer, String audience, Clock clock, Duration clockSkew) {
    this.clock = clock;
    // Read from the store each time: a revoked key stops verifying at once.
    JWKSource<SecurityContext> source = (selector, context) -> selector.select(keys.publicJwkSet());
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            audience,
            new JWTClaimsSet.Builder().issuer(issuer).build(),
            Set.of("sub", "iat", "exp", "jti", "sid")) {
          @Override
          protected Date currentTime() {
            return Date.from(clock.instant());
          }
        };
    claims.setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, clockSkew.toSeconds()));
    processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(TYPE, JOSEObjectType.JWT));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, source));
    processor.setJWTClaimsSetVerifier(claims);

    ignoringExpiry = new DefaultJWTProcessor<>();
    ignoringExpiry.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(TYPE, JOSEObjectType.JWT));
    ignoringExpiry.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, source));
    ignoringExpiry.setJWTClaimsSetVerifier(
        (set, context) -> {
          if (!issuer.equals(set.getIssuer())
              || set.getAudience() == null
              || !set.getAudience().contains(audience)) {
            throw new BadJWTException("not a session token of this server");
          }
        });
  }

  /**
   * The {@code sid} of a token this server signed (signature by a published key, {@code typ},
   * {@code iss}, {@code aud}), even when it has expired: logging out with it still ends its
   * session, and with refresh sessions that session outlives its access tokens.
   */
  public Optional<String> sessionIdOf(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(ignoringExpiry.process(token, null).getStringClaim("sid"));
    } catch (ParseException | BadJOSEException | JOSEException e) {
      return Optional.empty();
    }
  }

  /** The token's claims when it is valid now, else empty. */
  public Optional<JWTClaimsSet> verify(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    try {
      return Optional.of(processor.process(token, null));
    } catch (ParseException | BadJOSEException | JOSEException e) {
      return Optional.empty();
    }
  }

  /** Whole seconds until the token expires, never negative. */
  public long secondsLeft(JWTClaimsSet claims) {
    long left =
        claims.getExpirationTime().toInstant().getEpochSecond() - clock.instant().getEpochSecond();
    return Math.max(0, left);
  }
}
