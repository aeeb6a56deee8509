package dev.latchkey.server.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.keys.ActiveKey;
import dev.latchkey.server.keys.KeySnapshot;
import dev.latchkey.verifier.wire.AuthenticationMethods;
import dev.latchkey.verifier.wire.Roles;
import dev.latchkey.verifier.wire.TokenType;
import dev.latchkey.verifier.wire.Xsrf;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Signs session tokens with the active key: header {@code alg kid typ} ({@code at+jwt} unless
 * configured {@code JWT}), claims {@code iss sub aud iat exp jti sid}, {@code xsrf} (the hash of
 * the session's XSRF value, see {@link SessionXsrf}), {@code roles} (the subject's roles when the
 * token is signed, omitted when there are none), {@code amr} (how the session's user signed in, RFC
 * 8176; omitted when unknown) and, for a session bound to a DPoP key, {@code cnf: {"jkt": "<RFC
 * 7638 thumbprint>"}} (RFC 9449 §6.1).
 */
public final class TokenIssuer {
  /** The explicit type of a Latchkey session token (RFC 9068). */
  public static final JOSEObjectType TYPE = new JOSEObjectType(TokenType.ACCESS_TOKEN);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeySnapshot keys;
  private final String issuer;
  private final String audience;
  private final Duration sessionLength;
  private final JOSEObjectType type;
  private final Function<String, List<String>> rolesOf;
  private final SessionXsrf xsrf;

  /**
   * @param type the {@code typ} header
   * @param rolesOf the current roles of a subject, asked at each signing
   * @param xsrf the sessions' XSRF values (the same key on every instance)
   */
  public TokenIssuer(
      KeySnapshot keys,
      String issuer,
      String audience,
      Duration sessionLength,
      JOSEObjectType type,
      Function<String, List<String>> rolesOf,
      SessionXsrf xsrf) {
    this.keys = keys;
    this.issuer = issuer;
    this.audience = audience;
    this.sessionLength = sessionLength;
    this.type = type;
    this.rolesOf = rolesOf;
    this.xsrf = xsrf;
  }

  /** The {@code typ} header this issuer writes. */
  public JOSEObjectType type() {
    return type;
  }

  public String issuer() {
    return issuer;
  }

  public String audience() {
    return audience;
  }

  /**
   * The {@code exp} of a token issued at {@code at}: known before it is signed, so that a session
   * can record it first.
   */
  public Instant expiryOf(Instant at) {
    return Instant.ofEpochSecond(at.getEpochSecond()).plus(sessionLength);
  }

  /**
   * Signs a token for a subject in a given session, issued at {@code at} (see {@link #expiryOf}).
   *
   * @param amr how the session's user signed in (RFC 8176 values; none: no claim)
   * @param jkt the thumbprint of the DPoP key the token is bound to ({@code cnf.jkt}; null: a
   *     bearer token)
   */
  public IssuedToken issue(
      String subject, String sessionId, Instant at, List<String> amr, String jkt) {
    ActiveKey key = keys.active();
    Instant iat = Instant.ofEpochSecond(at.getEpochSecond());
    Instant exp = expiryOf(at);
    String jti = UUID.randomUUID().toString();
    String xsrfValue = xsrf.valueFor(sessionId);
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(subject)
            .audience(audience)
            .issueTime(Date.from(iat))
            .expirationTime(Date.from(exp))
            .jwtID(jti)
            .claim("sid", sessionId)
            .claim(Xsrf.CLAIM, Xsrf.binding(xsrfValue));
    List<String> roles = rolesOf.apply(subject);
    if (!roles.isEmpty()) {
      claims.claim(Roles.CLAIM, roles);
    }
    if (!amr.isEmpty()) {
      claims.claim(AuthenticationMethods.CLAIM, List.copyOf(amr));
    }
    if (jkt != null) {
      claims.claim("cnf", Map.of("jkt", jkt));
    }
    JWSHeader header = new JWSHeader.Builder(key.algorithm()).keyID(key.kid()).type(type).build();
    SignedJWT jwt = new SignedJWT(header, claims.build());
    try {
      jwt.sign(key.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("signing with key " + key.kid() + " failed", e);
    }
    return new IssuedToken(
        jwt.serialize(), sessionLength.toSeconds(), exp, key.kid(), jti, sessionId, xsrfValue, jkt);
  }

  /** A fresh random session id (128 bits, base64url). */
  public static String newSessionId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
