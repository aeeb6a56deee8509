package dev.latchkey.server.oidc;

import dev.latchkey.server.sessions.AmrColumn;
import dev.latchkey.server.sessions.SessionSettings;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The single-sign-on sessions at the auth server: made when a browser that has just signed in on
 * the hosted page comes back to {@code /authorize}, and shown by its HttpOnly cookie at every later
 * authorization request, so that a second client signs in without the password being typed again.
 * The browser holds a random value; the table only its hash.
 */
public final class SingleSignOn {
  private static final int MAX_COOKIE = 64;

  /** A live single-sign-on session: whose, from which hosted session, when and how signed in. */
  public record SsoSession(
      String idHash, String userId, String sid, Instant authTime, List<String> amr) {

    public SsoSession {
      amr = List.copyOf(amr);
    }
  }

  private final Database db;
  private final Duration lifetime;
  private final Clock clock;

  /**
   * @param lifetime how long a single-sign-on session lasts from its sign-in
   */
  public SingleSignOn(Database db, Duration lifetime, Clock clock) {
    this.db = db;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /**
   * The single-sign-on sessions of a server with these session settings: one lasts as long as a
   * session can (the refresh family's absolute lifetime with refresh, else the token length).
   */
  public static SingleSignOn forSessions(Database db, SessionSettings sessions, Clock clock) {
    Duration lifetime =
        sessions.refresh().enabled()
            ? sessions.refresh().absoluteLifetime()
            : sessions.tokenLength();
    return new SingleSignOn(db, lifetime, clock);
  }

  public Duration lifetime() {
    return lifetime;
  }

  /**
   * Starts one for a user who signed in at {@code authTime} with {@code amr} in the hosted page's
   * session {@code sid}; returns the cookie value.
   */
  public String start(String userId, String sid, Instant authTime, List<String> amr) {
    String value = Hashes.randomValue();
    long now = clock.millis();
    db.update(
        "INSERT INTO oidc_sso_sessions (id_hash, user_id, sid, auth_time, created_at, expires_at,"
            + " amr) VALUES (?, ?, ?, ?, ?, ?, ?)",
        Hashes.sha256(value),
        userId,
        sid,
        authTime.toEpochMilli(),
        now,
        authTime.toEpochMilli() + lifetime.toMillis(),
        AmrColumn.write(amr));
    return value;
  }

  /** The live session a cookie value names, if any. */
  public Optional<SsoSession> find(String cookieValue) {
    if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > MAX_COOKIE) {
      return Optional.empty();
    }
    return db.queryOne(
        "SELECT id_hash, user_id, sid, auth_time, amr FROM oidc_sso_sessions"
            + " WHERE id_hash = ? AND ended_at IS NULL AND expires_at > ?",
        rs ->
            new SsoSession(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                Instant.ofEpochMilli(rs.getLong(4)),
                AmrColumn.read(rs.getString(5))),
        Hashes.sha256(cookieValue),
        clock.millis());
  }

  /**
   * Whether {@code sid} is one of the sessions {@code sso} stands for: its hosted page's, or one
   * issued to a client through it.
   */
  public boolean standsFor(SsoSession sso, String sid) {
    return sid.equals(sso.sid())
        || db.queryOne(
                "SELECT 1 FROM oidc_grants WHERE sso_id_hash = ? AND sid = ?",
                rs -> true,
                sso.idHash(),
                sid)
            .isPresent();
  }

  /**
   * Ends a single-sign-on session: returns the sessions it stood for (the hosted page's and every
   * one issued to a client through it), for the caller to revoke.
   */
  public List<String> end(String idHash) {
    return db.inTransaction(
        c -> {
          Optional<String> sid =
              Sql.one(
                  c,
                  "SELECT sid FROM oidc_sso_sessions WHERE id_hash = ?",
                  rs -> rs.getString(1),
                  idHash);
          Sql.update(
              c,
              "UPDATE oidc_sso_sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL",
              clock.millis(),
              idHash);
          List<String> sids = new ArrayList<>();
          sid.ifPresent(sids::add);
          sids.addAll(
              Sql.list(
                  c,
                  "SELECT sid FROM oidc_grants WHERE sso_id_hash = ? ORDER BY sid",
                  rs -> rs.getString(1),
                  idHash));
          return sids;
        });
  }

  /** Deletes sessions over for longer than a day. Returns how many. */
  public int purgeExpired() {
    long dayAgo = clock.millis() - Duration.ofDays(1).toMillis();
    return db.update(
        "DELETE FROM oidc_sso_sessions WHERE expires_at < ? OR ended_at < ?", dayAgo, dayAgo);
  }
}
