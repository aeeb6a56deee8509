package dev.latchkey.server.sessions;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.revocation.RevocationLog;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.RaceLost;
import dev.latchkey.server.store.Sql;
import dev.latchkey.server.tokens.IssuedToken;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.AuthenticatedUser;
import dev.latchkey.server.users.UserException;
import dev.latchkey.server.users.Users;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-side sessions: one row per login, keyed by the tokens' {@code sid}; revocation (one
 * session, or every session of a user), each appended to the {@link RevocationLog} that the feed
 * serves, in the same transaction; and refresh token families.
 *
 * <p>A refresh family is the session itself: it has exactly one current refresh token, stored only
 * as its hash ({@link RefreshTokenChain}). What a presented token gets is decided by {@link
 * RefreshPolicy}; every rotation is a conditional update of the session row, so two instances
 * racing on one token cannot both rotate it.
 */
public final class Sessions {
  private static final Logger log = LoggerFactory.getLogger(Sessions.class);
  private static final Pattern TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final int ATTEMPTS = 4;
  private static final String FAMILY_COLUMNS =
      "sid, user_id, idle_expires_at, absolute_expires_at, revoked_at, refresh_hash,"
          + " refresh_rotated_at, last_used_at, amr";

  /**
   * Spent refresh tokens remembered per family: enough for the grace and lost-answer rules (the
   * last one or two) and for theft detection a few rotations back; older ones are forgotten, and
   * presenting one is refused as unknown without revoking (see docs/security.md).
   */
  static final int SPENT_TOKENS_KEPT = 8;

  /** Access tokens issued by this instance's last refresh of a family, answered again unsigned. */
  private static final int RECENT_ACCESS_MAX = 10_000;

  private final Map<String, IssuedToken> recentAccess = new ConcurrentHashMap<>();

  private final Database db;
  private final Users users;
  private final SessionSettings settings;
  private final RefreshSettings refresh;
  private final Duration clockSkew;
  private final Clock clock;
  private final RefreshPolicy policy;
  private final Audit audit;

  /**
   * @param clockSkew how long after its {@code exp} a token may still be accepted somewhere
   */
  public Sessions(
      Database db,
      Users users,
      MasterKey masterKey,
      SessionSettings settings,
      Duration clockSkew,
      Clock clock,
      Audit audit) {
    this.db = db;
    this.audit = audit;
    this.users = users;
    this.settings = settings;
    this.refresh = settings.refresh();
    this.clockSkew = clockSkew;
    this.clock = clock;
    this.policy =
        new RefreshPolicy(
            refresh, new RefreshTokenChain(masterKey.deriveKey("latchkey refresh token chain v1")));
  }

  public boolean refreshEnabled() {
    return refresh.enabled();
  }

  public RefreshSettings refreshSettings() {
    return refresh;
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
    String sid = TokenIssuer.newSessionId();
    IssuedToken access = tokens.issue(user.id(), sid, amr);
    long now = clock.millis();
    boolean refreshing = withRefresh && refresh.enabled();
    if (refreshing) {
      remember(access);
    }
    long absolute = refreshing ? now + refresh.absoluteLifetime().toMillis() : accessExpiry(now);
    long idle = refreshing ? Math.min(absolute, now + refresh.idleLifetime().toMillis()) : absolute;
    String refreshToken = refreshing ? RefreshTokenChain.first() : null;
    db.update(
        "INSERT INTO sessions (sid, user_id, created_at, last_used_at, idle_expires_at,"
            + " absolute_expires_at, access_expires_at, refresh_hash, refresh_rotated_at, amr)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        sid,
        user.id(),
        now,
        now,
        idle,
        absolute,
        accessExpiry(now),
        refreshToken == null ? null : RefreshTokenChain.hash(refreshToken),
        refreshToken == null ? null : now,
        amr.isEmpty() ? null : String.join(" ", amr));
    return new SessionTokens(
        access, refreshToken, refreshToken == null ? null : Instant.ofEpochMilli(absolute));
  }

  /**
   * Rotates a refresh token: the presented token is spent, and a new access token and the family's
   * next refresh token are returned. A token spent within the grace interval gets the family's
   * current pair instead; one spent earlier revokes the whole session.
   *
   * @throws RefreshRejected for anything else (generic to the client)
   * @throws IllegalStateException when refresh sessions are off
   */
  public SessionTokens refresh(String presented, TokenIssuer tokens) {
    if (!refresh.enabled()) {
      throw new IllegalStateException("refresh sessions are off");
    }
    if (presented == null || !TOKEN_SHAPE.matcher(presented).matches()) {
      throw new RefreshRejected(RefreshFailure.MALFORMED);
    }
    RefreshDecision decision =
        db.inTransactionRetrying(
            ATTEMPTS,
            c -> refreshLocked(c, presented),
            () -> new RefreshRejected(RefreshFailure.CONTENDED));
    RefreshFamily family;
    String token;
    IssuedToken access;
    if (decision instanceof RefreshDecision.Rotate rotate) {
      family = rotate.family();
      token = rotate.next();
      access = issueAccess(tokens, family);
    } else if (decision instanceof RefreshDecision.Keep keep) {
      family = keep.family();
      token = keep.current();
      access = recentOrIssued(tokens, family);
    } else if (decision instanceof RefreshDecision.HandOver handOver) {
      family = handOver.family();
      token = handOver.current();
      access = recentOrIssued(tokens, family);
    } else if (decision instanceof RefreshDecision.RevokeFamily reuse) {
      log.warn("Refresh token reuse: revoked session {} (possible token theft)", reuse.sid());
      audit.record(AuditEvent.REFRESH_REUSE_DETECTED, "sid", reuse.sid());
      throw new RefreshRejected(RefreshFailure.REUSED);
    } else {
      throw new RefreshRejected(((RefreshDecision.Reject) decision).reason());
    }
    return new SessionTokens(access, token, Instant.ofEpochMilli(family.absoluteExpiresAt()));
  }

  private IssuedToken issueAccess(TokenIssuer tokens, RefreshFamily family) {
    return remember(tokens.issue(family.userId(), family.sid(), family.amr()));
  }

  private IssuedToken remember(IssuedToken access) {
    if (recentAccess.size() >= RECENT_ACCESS_MAX) {
      recentAccess.clear(); // a bound, not an eviction policy: a miss only costs a signature
    }
    recentAccess.put(access.sid(), access);
    return access;
  }

  /**
   * The access token this instance issued for the family at its last refresh, while it has most of
   * its life left (more than the minimum interval), else a new one: a burst of refreshes costs at
   * most one signature per family and interval on each instance.
   */
  private IssuedToken recentOrIssued(TokenIssuer tokens, RefreshFamily family) {
    IssuedToken recent = recentAccess.get(family.sid());
    long now = clock.millis();
    if (recent != null
        && recent.expiresAt().toEpochMilli() - now > refresh.minInterval().toMillis()) {
      long left = (recent.expiresAt().toEpochMilli() - now) / 1000;
      return recent.expiringIn(left);
    }
    return issueAccess(tokens, family);
  }

  /** Decides what the presented token gets and writes it, under the session row's lock. */
  private RefreshDecision refreshLocked(Connection c, String presented) throws SQLException {
    long now = clock.millis();
    String presentedHash = RefreshTokenChain.hash(presented);
    RefreshDecision decision = policy.decide(presented, lookUp(c, presentedHash), now);
    if (decision instanceof RefreshDecision.Rotate rotate) {
      String sid = rotate.family().sid();
      int updated =
          Sql.update(
              c,
              "UPDATE sessions SET refresh_hash = ?, refresh_rotated_at = ?, last_used_at = ?,"
                  + " idle_expires_at = ?, access_expires_at = ?"
                  + " WHERE sid = ? AND refresh_hash = ? AND revoked_at IS NULL",
              RefreshTokenChain.hash(rotate.next()),
              now,
              now,
              rotate.idleExpiresAt(),
              accessExpiry(now),
              sid,
              presentedHash);
      if (updated != 1) {
        throw new RaceLost(); // rotated by someone else meanwhile: look again
      }
      Sql.update(
          c,
          "INSERT INTO spent_refresh_tokens (token_hash, sid, spent_at) VALUES (?, ?, ?)",
          presentedHash,
          sid,
          now);
      forgetOldSpentTokens(c, sid);
    } else if (decision instanceof RefreshDecision.Keep keep) {
      Sql.update(c, "UPDATE sessions SET last_used_at = ? WHERE sid = ?", now, keep.family().sid());
    } else if (decision instanceof RefreshDecision.HandOver handOver) {
      Sql.update(
          c,
          "UPDATE sessions SET last_used_at = ?, access_expires_at = ? WHERE sid = ?",
          now,
          accessExpiry(now),
          handOver.family().sid());
    } else if (decision instanceof RefreshDecision.RevokeFamily reuse) {
      revokeLocked(c, reuse.sid(), now, "refresh_reuse");
    }
    return decision;
  }

  /** Keeps the family's {@link #SPENT_TOKENS_KEPT} most recently spent tokens only. */
  private static void forgetOldSpentTokens(Connection c, String sid) throws SQLException {
    Optional<Long> oldestKept =
        Sql.one(
            c,
            "SELECT spent_at FROM spent_refresh_tokens WHERE sid = ?"
                + " ORDER BY spent_at DESC OFFSET "
                + (SPENT_TOKENS_KEPT - 1)
                + " ROWS FETCH FIRST 1 ROWS ONLY",
            rs -> rs.getLong(1),
            sid);
    if (oldestKept.isPresent()) {
      Sql.update(
          c,
          "DELETE FROM spent_refresh_tokens WHERE sid = ? AND spent_at < ?",
          sid,
          oldestKept.get());
    }
  }

  private static StoredRefreshToken lookUp(Connection c, String tokenHash) throws SQLException {
    Optional<RefreshFamily> current = lockFamily(c, "refresh_hash = ?", tokenHash);
    if (current.isPresent()) {
      return new StoredRefreshToken.Current(current.get());
    }
    Optional<SpentToken> spent =
        Sql.one(
            c,
            "SELECT sid, spent_at FROM spent_refresh_tokens WHERE token_hash = ?",
            rs -> new SpentToken(rs.getString(1), rs.getLong(2)),
            tokenHash);
    if (spent.isEmpty()) {
      return new StoredRefreshToken.Unknown(null);
    }
    String sid = spent.get().sid();
    return lockFamily(c, "sid = ?", sid)
        .<StoredRefreshToken>map(f -> new StoredRefreshToken.Spent(f, spent.get().spentAt()))
        .orElse(new StoredRefreshToken.Unknown(sid));
  }

  private record SpentToken(String sid, long spentAt) {}

  private static Optional<RefreshFamily> lockFamily(Connection c, String where, String value)
      throws SQLException {
    return Sql.one(
        c,
        "SELECT " + FAMILY_COLUMNS + " FROM sessions WHERE " + where + " FOR UPDATE",
        Sessions::family,
        value);
  }

  private static RefreshFamily family(ResultSet rs) throws SQLException {
    long revoked = rs.getLong(5);
    Long revokedAt = rs.wasNull() ? null : revoked;
    return new RefreshFamily(
        rs.getString(1),
        rs.getString(2),
        rs.getLong(3),
        rs.getLong(4),
        revokedAt,
        rs.getString(6),
        rs.getLong(7),
        rs.getLong(8),
        amr(rs.getString(9)));
  }

  private static List<String> amr(String stored) {
    return stored == null || stored.isBlank() ? List.of() : List.of(stored.strip().split(" +"));
  }

  /**
   * The session a refresh token belongs to, whether it is the current or a spent one (logout with
   * the refresh cookie).
   */
  public Optional<String> sessionOfRefreshToken(String token) {
    if (token == null || !TOKEN_SHAPE.matcher(token).matches()) {
      return Optional.empty();
    }
    String h = RefreshTokenChain.hash(token);
    return db.inTransaction(
        c -> {
          Optional<String> sid =
              Sql.one(
                  c, "SELECT sid FROM sessions WHERE refresh_hash = ?", rs -> rs.getString(1), h);
          return sid.isPresent()
              ? sid
              : Sql.one(
                  c,
                  "SELECT sid FROM spent_refresh_tokens WHERE token_hash = ?",
                  rs -> rs.getString(1),
                  h);
        });
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
                revokeLocked(c, sid, now, "logout") == 1
                    ? Sql.one(
                        c, "SELECT user_id FROM sessions WHERE sid = ?", rs -> rs.getString(1), sid)
                    : Optional.<String>empty());
    userId.ifPresent(user -> audit.record(AuditEvent.LOGOUT, "user_id", user, "sid", sid));
    return userId.isPresent();
  }

  private static int revokeLocked(Connection c, String sid, long now, String reason)
      throws SQLException {
    int n =
        Sql.update(
            c,
            "UPDATE sessions SET revoked_at = ?, revoke_reason = ?, refresh_hash = NULL"
                + " WHERE sid = ? AND revoked_at IS NULL",
            now,
            reason,
            sid);
    if (n == 1) {
      long lastTokenExpires =
          Sql.one(
                  c,
                  "SELECT access_expires_at FROM sessions WHERE sid = ?",
                  rs -> rs.getLong(1),
                  sid)
              .orElse(now);
      RevocationLog.append(
          c,
          RevocationLog.Kind.SESSION,
          sid,
          Instant.ofEpochMilli(now),
          Instant.ofEpochMilli(lastTokenExpires));
    }
    return n;
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
                revoked += revokeLocked(c, sid, now, reason);
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

  /** One session, for admin and tests. */
  public Optional<SessionInfo> find(String sid) {
    return db.queryOne(
        "SELECT sid, user_id, created_at, last_used_at, idle_expires_at, absolute_expires_at,"
            + " access_expires_at, revoked_at, revoke_reason FROM sessions WHERE sid = ?",
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
                rs.getString("revoke_reason")),
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
