package dev.latchkey.server.tokens;

import java.time.Instant;

/**
 * A signed session token. {@link #toString()} never shows the token itself.
 *
 * @param token the compact JWS
 * @param expiresIn seconds until it expires
 * @param xsrf the session's XSRF value, which the token's {@code xsrf} claim binds
 * @param jkt the thumbprint of the DPoP key the token is bound to ({@code cnf.jkt}), or null for a
 *     bearer token
 */
public record IssuedToken(
    String token,
    long expiresIn,
    Instant expiresAt,
    String kid,
    String jti,
    String sid,
    String xsrf,
    String jkt) {
  /** A bearer token (not bound to a DPoP key). */
  public IssuedToken(
      String token,
      long expiresIn,
      Instant expiresAt,
      String kid,
      String jti,
      String sid,
      String xsrf) {
    this(token, expiresIn, expiresAt, kid, jti, sid, xsrf, null);
  }

  /** The same token, said to expire in {@code seconds}. */
  public IssuedToken expiringIn(long seconds) {
    return new IssuedToken(token, seconds, expiresAt, kid, jti, sid, xsrf, jkt);
  }

  /** Whether the token is bound to a DPoP key: sent as {@code DPoP}, with a proof. */
  public boolean bound() {
    return jkt != null;
  }

  @Override
  public String toString() {
    return "IssuedToken[kid="
        + kid
        + ", jti="
        + jti
        + ", sid="
        + sid
        + ", expiresAt="
        + expiresAt
        + (jkt == null ? "" : ", jkt=" + jkt)
        + "]";
  }
}
