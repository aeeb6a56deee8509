package dev.latchkey.server.sessions;

import java.time.Instant;

/**
 * A stored session. {@code revokedAt} and {@code revokeReason} are null while it is not revoked.
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
    String revokeReason) {}
