package dev.latchkey.server.tokens;

import java.time.Instant;

/**
 * A signed session token. {@link #toString()} never shows the token itself.
 *
 * @param token the compact JWS
 * @param expiresIn seconds until it expires
 * @param xsrf the session's XSRF value, which the token's {@code xsrf} claim binds
 */
public record IssuedToken(
    String token,
    long expiresIn,
    Instant expiresAt,
    String kid,
    String jti,
    String sid,
    String xsrf) {
  /** The same token, said to expire in {@code seconds}. */
  public IssuedToken expiringIn(long seconds) {
    return new IssuedToken(token, seconds, expiresAt, kid, jti, sid, xsrf);
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
        + "]";
  }
}
