package dev.latchkey.server.sessions;

import java.util.Locale;

/** Why a refresh token gave nothing; the client only ever sees one generic 401. */
public enum RefreshFailure {
  /** Not shaped like a refresh token, or missing. */
  MALFORMED,
  /** Neither a current nor a remembered spent token. */
  UNKNOWN,
  /** Its session ended: idle or absolute lifetime. */
  EXPIRED,
  /** Its session was revoked. */
  REVOKED,
  /** A spent token presented again outside the grace interval: its session is revoked. */
  REUSED,
  /**
   * The direct predecessor of the family's current token, presented after the grace interval while
   * that current token was never used: most likely a refresh whose answer was lost. Refused (log in
   * again) without revoking the session.
   */
  SUPERSEDED,
  /** Other requests kept rotating the same token at the same time. */
  CONTENDED;

  /** The reason in lower case, for logs. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
