package dev.latchkey.server.sessions;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.revocation.RevocationLog;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import dev.latchkey.server.users.UserException;
import dev.latchkey.server.users.Users;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ending sessions: one (logout), or every session of a user (logout everywhere, password reset and
 * change). A revoked session's refresh family ends, and the session is listed in the {@link
 * RevocationLog} in the same transaction, until the {@code exp} of the last token it can have
 * produced.
 */
public final class SessionRevocation {
  private static final Logger log = LoggerFactory.getLogger(SessionRevocation.class);

  private final Database db;
  private final Users users;
  private final RevocationLog revocations;
  private final Duration clockSkew;
  private final Clock clock;
  private final Audit audit;

  /**
   * @param clockSkew how long after its {@code exp} a token may still be accepted somewhere
   */
  public SessionRevocation(
      Database db,
      Users users,
      RevocationLog revocations,
      Duration clockSkew,
      Clock clock,
      Audit audit) {
    this.db = db;
    this.users = users;
    this.revocations = revocations;
    this.clockSkew = clockSkew;
    this.clock = clock;
    this.audit = audit;
  }

  /**
   * Revokes one session (logout): its tokens appear in the revocation feed and its refresh family
   * ends. Idempotent.
   *
   * @return true when the session existed and was not revoked before
   */
  public boolean revoke(String sid) {
    if (sid == null || sid.length() > 64) {
      return false;
    }
    long now = clock.millis();
    Optional<String> userId =
        db.inTransaction(
            c ->
                revokeLocked(c, sid, now, "logout")
                    ? Sql.one(
                        c, "SELECT user_id FROM sessions WHERE sid = ?", rs -> rs.getString(1), sid)
                    : Optional.<String>empty());
    userId.ifPresent(user -> audit.record(AuditEvent.LOGOUT, "user_id", user, "sid", sid));
    return userId.isPresent();
  }

  /**
   * Revokes a session in the caller's transaction, unless it was revoked before.
   *
   * @return true when this call revoked it
   */
  boolean revokeLocked(Connection c, String sid, long now, String reason) throws SQLException {
    int n =
        Sql.update(
            c,
            "UPDATE sessions SET revoked_at = ?, revoke_reason = ?, refresh_hash = NULL"
                + " WHERE sid = ? AND revoked_at IS NULL",
            now,
            reason,
            sid);
    if (n != 1) {
      return false;
    }
    long lastTokenExpires =
        Sql.one(c, "SELECT access_expires_at FROM sessions WHERE sid = ?", rs -> rs.getLong(1), sid)
            .orElse(now);
    revocations.recordSession(
        c, sid, Instant.ofEpochMilli(now), Instant.ofEpochMilli(lastTokenExpires));
    return true;
  }

  /**
   * Logout everywhere ({@code latchkey sessions revoke --user EMAIL}): revokes every session of a
   * user whose tokens or refresh tokens may still be in use.
   *
   * @param userIdOrEmail an email (contains {@code @}) or a user id
   * @return how many sessions were revoked
   * @throws UserException {@code unknown_user} for an email without an account
   */
  public int revokeAllForUser(String userIdOrEmail) {
    String userId = userIdOrEmail.contains("@") ? users.idOf(userIdOrEmail) : userIdOrEmail;
    return revokeAllForUser(userId, null, "admin");
  }

  /**
   * Revokes every live session of a user but one (password reset and change), so that the
   * revocation feed carries them.
   *
   * @param keepSid the session that continues, or {@code null} for none
   * @param reason the stored reason, e.g. {@code password_reset}
   * @return how many sessions were revoked
   */
  public int revokeAllForUser(String userId, String keepSid, String reason) {
    long now = clock.millis();
    int n =
        db.inTransaction(
            c -> {
              List<String> live =
                  Sql.list(
                      c,
                      "SELECT sid FROM sessions WHERE user_id = ? AND revoked_at IS NULL"
                          + " AND sid <> ?"
                          + " AND (access_expires_at > ? OR (refresh_hash IS NOT NULL"
                          + " AND idle_expires_at > ? AND absolute_expires_at > ?))"
                          + " ORDER BY sid",
                      rs -> rs.getString(1),
                      userId,
                      keepSid == null ? "" : keepSid,
                      now - clockSkew.toMillis(),
                      now,
                      now);
              int revoked = 0;
              for (String sid : live) {
                revoked += revokeLocked(c, sid, now, reason) ? 1 : 0;
              }
              return revoked;
            });
    log.info("Revoked {} sessions of a user ({})", n, reason);
    audit.record(
        AuditEvent.SESSIONS_REVOKED,
        "user_id",
        userId,
        "count",
        n,
        "reason",
        reason,
        "kept_sid",
        keepSid);
    return n;
  }
}
