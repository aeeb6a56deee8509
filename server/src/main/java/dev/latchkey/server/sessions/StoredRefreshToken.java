package dev.latchkey.server.sessions;

/** What the database holds about a presented refresh token. */
sealed interface StoredRefreshToken {

  /** It is the current token of its family. */
  record Current(RefreshFamily family) implements StoredRefreshToken {}

  /** It was spent (rotated) at {@code spentAt}, epoch milliseconds. */
  record Spent(RefreshFamily family, long spentAt) implements StoredRefreshToken {}

  /** Never issued, or its session is gone; {@code sid} when a spent token still names one. */
  record Unknown(String sid) implements StoredRefreshToken {}
}
