package dev.latchkey.verifier;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.verifier.wire.Roles;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A token whose signature, type, issuer, audience and time claims were checked.
 *
 * @param subject the {@code sub} claim (always present)
 * @param issuer the {@code iss} claim
 * @param audience the {@code aud} claim values
 * @param expiresAt the {@code exp} claim (always present)
 * @param notBefore the {@code nbf} claim, or null
 * @param issuedAt the {@code iat} claim, or null
 * @param tokenId the {@code jti} claim, or null
 * @param sessionId the {@code sid} claim, or null
 * @param keyId the {@code kid} header, or null (PEM or secret sources)
 * @param algorithm the {@code alg} header, e.g. {@code RS256}
 * @param claimsSet every claim, as Nimbus parsed them
 */
public record VerifiedToken(
    String subject,
    String issuer,
    List<String> audience,
    Instant expiresAt,
    Instant notBefore,
    Instant issuedAt,
    String tokenId,
    String sessionId,
    String keyId,
    String algorithm,
    JWTClaimsSet claimsSet) {

  /** Builds the result from Nimbus's verified claims. */
  public static VerifiedToken of(JWTClaimsSet claims, String keyId, String algorithm) {
    Object sid = claims.getClaim("sid");
    return new VerifiedToken(
        claims.getSubject(),
        claims.getIssuer(),
        claims.getAudience() == null ? List.of() : List.copyOf(claims.getAudience()),
        instant(claims.getExpirationTime()),
        instant(claims.getNotBeforeTime()),
        instant(claims.getIssueTime()),
        claims.getJWTID(),
        sid instanceof String s ? s : null,
        keyId,
        algorithm,
        claims);
  }

  private static Instant instant(java.util.Date d) {
    return d == null ? null : d.toInstant();
  }

  /** Every claim as JSON-like values (dates as epoch seconds), unmodifiable. */
  public Map<String, Object> claims() {
    return java.util.Collections.unmodifiableMap(claimsSet.toJSONObject());
  }

  /**
   * The {@code roles} claim: the role names the auth server granted when it signed the token (empty
   * when absent or not an array of strings).
   */
  public List<String> roles() {
    return Roles.of(claimsSet.getClaim(Roles.CLAIM));
  }

  /** Whether the token carries {@code role}. */
  public boolean hasRole(String role) {
    return roles().contains(role);
  }

  /**
   * The key this token is bound to: the base64url SHA-256 thumbprint (RFC 7638) of {@code cnf.jkt},
   * when the token is DPoP-bound (RFC 9449 §6.1).
   */
  public Optional<String> boundKeyThumbprint() {
    return claimsSet.getClaim("cnf") instanceof Map<?, ?> cnf
            && cnf.get("jkt") instanceof String jkt
        ? Optional.of(jkt)
        : Optional.empty();
  }

  /** Whether the token names a confirmation ({@code cnf}) at all, checkable or not. */
  public boolean hasConfirmation() {
    return claimsSet.getClaim("cnf") != null;
  }

  /** One claim, if present. */
  public Optional<Object> claim(String name) {
    return Optional.ofNullable(claimsSet.getClaim(name));
  }

  @Override
  public String toString() {
    // No claim values: a token's content must not end up in logs by accident.
    return "VerifiedToken[kid=" + keyId + ", alg=" + algorithm + ", exp=" + expiresAt + "]";
  }
}
