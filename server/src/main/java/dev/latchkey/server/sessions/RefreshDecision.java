package dev.latchkey.server.sessions;

/** What to do with a presented refresh token, as {@link RefreshPolicy} decides it. */
sealed interface RefreshDecision {

  /** Spend the presented token: {@code next} becomes the family's current token. */
  record Rotate(RefreshFamily family, String next, long idleExpiresAt) implements RefreshDecision {}

  /**
   * The current token came back within the minimum interval of its rotation: it stays current, and
   * the answer is the family's current pair (no rotation, no write).
   */
  record Keep(RefreshFamily family, String current) implements RefreshDecision {}

  /** A parallel tab presented a just-spent token: give it the family's {@code current} token. */
  record HandOver(RefreshFamily family, String current) implements RefreshDecision {}

  /** A spent token came back after the grace interval: possible theft, revoke the session. */
  record RevokeFamily(String sid) implements RefreshDecision {}

  /** Refuse, changing nothing. */
  record Reject(String sid, RefreshFailure reason) implements RefreshDecision {}
}
