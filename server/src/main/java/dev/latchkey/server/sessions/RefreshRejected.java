package dev.latchkey.server.sessions;

/**
 * A refresh token that gives nothing: unknown, malformed, expired (idle or absolute), revoked, or
 * reused outside the grace interval (which revokes its session). Answered with one generic 401.
 */
public final class RefreshRejected extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final RefreshFailure reason;

  RefreshRejected(RefreshFailure reason) {
    super("refresh token rejected: " + reason.label(), null, false, false);
    this.reason = reason;
  }

  public RefreshFailure reason() {
    return reason;
  }
}
