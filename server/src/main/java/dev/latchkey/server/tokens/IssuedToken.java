package dev.latchkey.server.tokens;

import java.time.Instant;

/**
 * A signed session token. {@link #toString()} never shows the token itself.
 *
 * @param token the compact JWS
 * @param expiresIn seconds until it expires
 */
public record IssuedToken(
    String token, long expiresIn, Instant expiresAt, String kid, String jti, String sid) {
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
