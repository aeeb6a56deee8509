package dev.latchkey.server.oidc;

import dev.latchkey.server.sessions.AmrColumn;
import dev.latchkey.server.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Which client each session issued through the token endpoint belongs to (the {@code oidc_grants}
 * table): a refresh token is honoured only for that client, {@code /userinfo} answers by its
 * scopes, and a logout finds the sessions of a single-sign-on session here.
 */
public final class OidcGrants {
  private final Database db;
  private final Clock clock;

  public OidcGrants(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public void record(OidcGrant grant) {
    db.update(
        "INSERT INTO oidc_grants (sid, client_id, user_id, sso_id_hash, scope, auth_time,"
            + " created_at, amr) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        grant.sid(),
        grant.clientId(),
        grant.userId(),
        grant.ssoIdHash(),
        grant.scope(),
        grant.authTime().toEpochMilli(),
        clock.millis(),
        AmrColumn.write(grant.amr()));
  }

  public Optional<OidcGrant> find(String sid) {
    if (sid == null || sid.length() > 64) {
      return Optional.empty();
    }
    return db.queryOne(
        "SELECT sid, client_id, user_id, sso_id_hash, scope, auth_time, amr FROM oidc_grants"
            + " WHERE sid = ?",
        rs ->
            new OidcGrant(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                Scopes.parse(rs.getString(5)),
                Instant.ofEpochMilli(rs.getLong(6)),
                AmrColumn.read(rs.getString(7))),
        sid);
  }

  /** Deletes the grants of sessions that no longer exist. Returns how many. */
  public int purgeOrphans() {
    return db.update("DELETE FROM oidc_grants WHERE sid NOT IN (SELECT sid FROM sessions)");
  }
}
