package dev.latchkey.server.sessions;

import dev.latchkey.server.tokens.IssuedToken;
import java.time.Instant;

/**
 * What a login or a refresh hands out: the access token and, with refresh sessions, the refresh
 * token (else {@code null}) and when its session ends at the latest. {@link #toString()} shows no
 * token.
 */
public record SessionTokens(IssuedToken access, String refreshToken, Instant refreshExpiresAt) {
  public String sid() {
    return access.sid();
  }

  @Override
  public String toString() {
    return "SessionTokens[" + access + ", refresh=" + (refreshToken == null ? "none" : "***") + "]";
  }
}
