package dev.latchkey.server.sessions;

/**
 * A refresh token that gives nothing: unknown, malformed, expired (idle or absolute), revoked, or
 * reused outside the grace interval (which revokes its session). Answered with one generic 401.
 */
public final class RefreshRejected extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  RefreshRejected(String reason) {
    super("refresh token rejected: " + reason, null, false, false);
    this.reason = reason;
  }

  /** {@code malformed}, {@code unknown}, {@code expired}, {@code revoked} or {@code reused}. */
  public String reason() {
    return reason;
  }
}
