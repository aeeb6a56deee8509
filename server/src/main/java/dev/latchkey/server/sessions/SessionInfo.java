package dev.latchkey.server.sessions;

import java.time.Instant;
import java.util.List;

/**
 * A stored session. {@code revokedAt} and {@code revokeReason} are null while it is not revoked;
 * {@code amr} is how its user signed in (empty: the tokens carry no {@code amr}).
 */
public record SessionInfo(
    String sid,
    String userId,
    Instant createdAt,
    Instant lastUsedAt,
    Instant idleExpiresAt,
    Instant absoluteExpiresAt,
    Instant accessExpiresAt,
    Instant revokedAt,
    String revokeReason,
    List<String> amr) {

  public SessionInfo {
    amr = List.copyOf(amr);
  }
}
