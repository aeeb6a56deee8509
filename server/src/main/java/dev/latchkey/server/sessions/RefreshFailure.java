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
  /** Its user is disabled. */
  USER_DISABLED,
  /** Other requests kept rotating the same token at the same time. */
  CONTENDED,
  /**
   * The family is bound to a DPoP key and the refresh carried no proof of it (none, or another
   * key's): refused, nothing changed (answered {@code 400 invalid_dpop_proof}, not as an ended
   * session).
   */
  WRONG_DPOP_KEY;

  /** The reason in lower case, for logs. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
