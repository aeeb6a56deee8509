package dev.latchkey.server.sessions;

import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import dev.latchkey.server.tokens.IssuedToken;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.AuthenticatedUser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Server-side sessions: one row per login, keyed by the tokens' {@code sid}. Refreshing a session
 * is {@link RefreshProtocol}'s, ending one {@link SessionRevocation}'s.
 */
public final class Sessions {
  private final Database db;
  private final SessionSettings settings;
  private final RefreshSettings refresh;
  private final RefreshProtocol refreshProtocol;
  private final Duration clockSkew;
  private final Clock clock;

  /**
   * @param refreshProtocol where a session started with a refresh token continues
   * @param clockSkew how long after its {@code exp} a token may still be accepted somewhere
   */
  public Sessions(
      Database db,
      SessionSettings settings,
      RefreshProtocol refreshProtocol,
      Duration clockSkew,
      Clock clock) {
    this.db = db;
    this.settings = settings;
    this.refresh = settings.refresh();
    this.refreshProtocol = refreshProtocol;
    this.clockSkew = clockSkew;
    this.clock = clock;
  }

  /**
   * Starts a session for a user whose password was just checked: signs the access token and stores
   * the session row; with refresh sessions on (and {@code withRefresh}), also a refresh token.
   */
  public SessionTokens start(AuthenticatedUser user, TokenIssuer tokens, boolean withRefresh) {
    return start(user, tokens, withRefresh, List.of());
  }

  /**
   * Starts a session as {@link #start(AuthenticatedUser, TokenIssuer, boolean)} does, for a user
   * who signed in with {@code amr} (RFC 8176 values): every token of the session, refreshed ones
   * too, carries them.
   */
  public SessionTokens start(
      AuthenticatedUser user, TokenIssuer tokens, boolean withRefresh, List<String> amr) {
    return start(user, tokens, withRefresh, amr, null);
  }

  /**
   * Starts a session as {@link #start(AuthenticatedUser, TokenIssuer, boolean, List)} does, bound
   * to the DPoP key with thumbprint {@code jkt} (null: a bearer session): every token of the
   * session carries {@code cnf.jkt}, and a refresh must carry a proof of that key.
   */
  public SessionTokens start(
      AuthenticatedUser user,
      TokenIssuer tokens,
      boolean withRefresh,
      List<String> amr,
      String jkt) {
    String sid = TokenIssuer.newSessionId();
    IssuedToken access = tokens.issue(user.id(), sid, clock.instant(), amr, jkt);
    long now = clock.millis();
    boolean refreshing = withRefresh && refresh.enabled();
    if (refreshing) {
      refreshProtocol.started(access);
    }
    long absolute = refreshing ? now + refresh.absoluteLifetime().toMillis() : accessExpiry(now);
    long idle = refreshing ? Math.min(absolute, now + refresh.idleLifetime().toMillis()) : absolute;
    String refreshToken = refreshing ? RefreshTokenChain.first() : null;
    db.update(
        "INSERT INTO sessions (sid, user_id, created_at, last_used_at, idle_expires_at,"
            + " absolute_expires_at, access_expires_at, refresh_hash, refresh_rotated_at, amr,"
            + " dpop_jkt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        sid,
        user.id(),
        now,
        now,
        idle,
        absolute,
        access.expiresAt().toEpochMilli(),
        refreshToken == null ? null : RefreshTokenChain.hash(refreshToken),
        refreshToken == null ? null : now,
        AmrColumn.write(amr),
        jkt);
    return new SessionTokens(
        access, refreshToken, refreshToken == null ? null : Instant.ofEpochMilli(absolute));
  }

  /**
   * The session a refresh token belongs to, whether it is the current or a spent one (logout with
   * the refresh cookie).
   */
  public Optional<String> sessionOfRefreshToken(String token) {
    if (!RefreshFamilies.wellFormed(token)) {
      return Optional.empty();
    }
    return db.inTransaction(c -> RefreshFamilies.sessionOf(c, RefreshTokenChain.hash(token)));
  }

  /**
   * Whether a session is stored and not revoked: a session whose row is gone (purged, or never
   * stored here) is not live.
   */
  public boolean isLive(String sid) {
    return sid != null
        && db.queryOne(
                "SELECT revoked_at IS NULL FROM sessions WHERE sid = ?",
                rs -> rs.getBoolean(1),
                sid)
            .orElse(false);
  }

  /** A session that is stored and not revoked, with its DPoP binding. */
  public Optional<LiveSession> live(String sid) {
    return sid == null
        ? Optional.empty()
        : db.queryOne(
            "SELECT dpop_jkt FROM sessions WHERE sid = ? AND revoked_at IS NULL",
            rs -> new LiveSession(sid, rs.getString(1)),
            sid);
  }

  /**
   * A new access token of a live session, bound to the DPoP key with thumbprint {@code key}: a
   * session not bound yet (a hosted-page sign-in, whose token sits in an HttpOnly cookie) is bound
   * to it from now on, its refresh family too; a session bound to another key gets nothing.
   */
  public Optional<IssuedToken> issueBound(String sid, String key, TokenIssuer tokens) {
    return db.inTransaction(
        c -> {
          Optional<String[]> row =
              Sql.one(
                  c,
                  "SELECT user_id, amr, dpop_jkt FROM sessions"
                      + " WHERE sid = ? AND revoked_at IS NULL FOR UPDATE",
                  rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)},
                  sid);
          if (row.isEmpty() || (row.get()[2] != null && !row.get()[2].equals(key))) {
            return Optional.empty();
          }
          Instant at = clock.instant();
          Sql.update(
              c,
              "UPDATE sessions SET dpop_jkt = ?,"
                  + " access_expires_at = GREATEST(access_expires_at, ?) WHERE sid = ?",
              key,
              tokens.expiryOf(at).toEpochMilli(),
              sid);
          return Optional.of(
              tokens.issue(row.get()[0], sid, at, AmrColumn.read(row.get()[1]), key));
        });
  }

  /** One session, for admin and tests. */
  public Optional<SessionInfo> find(String sid) {
    return db.queryOne(
        "SELECT sid, user_id, created_at, last_used_at, idle_expires_at, absolute_expires_at,"
            + " access_expires_at, revoked_at, revoke_reason, amr FROM sessions WHERE sid = ?",
        rs ->
            new SessionInfo(
                rs.getString("sid"),
                rs.getString("user_id"),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "last_used_at"),
                Sql.instant(rs, "idle_expires_at"),
                Sql.instant(rs, "absolute_expires_at"),
                Sql.instant(rs, "access_expires_at"),
                Sql.instant(rs, "revoked_at"),
                rs.getString("revoke_reason"),
                AmrColumn.read(rs.getString("amr"))),
        sid);
  }

  /**
   * Deletes sessions that can no longer matter: every access token expired (plus skew) and no
   * refresh possible. Their spent refresh tokens go with them. Returns how many.
   */
  public int purgeExpired() {
    long now = clock.millis();
    return db.update(
        "DELETE FROM sessions WHERE access_expires_at < ? AND (revoked_at IS NOT NULL"
            + " OR idle_expires_at < ? OR absolute_expires_at < ?)",
        now - clockSkew.toMillis(),
        now,
        now);
  }

  private long accessExpiry(long now) {
    return now + settings.tokenLength().toMillis();
  }
}
