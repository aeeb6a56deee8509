package dev.latchkey.server.sessions;

import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.tokens.IssuedToken;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.AuthenticatedUser;
import dev.latchkey.server.users.EmailAddress;
import dev.latchkey.server.users.UserException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-side sessions: one row per login, keyed by the tokens' {@code sid}; revocation (one
 * session, or every session of a user); the revocation feed; and refresh token families.
 *
 * <p>A refresh family is the session itself: it has exactly one current refresh token, stored only
 * as its SHA-256. The first token is 256 random bits; each rotation's successor is HMAC-SHA256 of
 * its predecessor under a key derived from the master key. That lets a parallel tab presenting a
 * just-spent token (within the grace interval) be given the family's current token without storing
 * any token in clear. Every rotation is a conditional update of the session row, so two instances
 * racing on one token cannot both rotate it.
 */
public final class Sessions {
  private static final Logger log = LoggerFactory.getLogger(Sessions.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final int MAX_CHAIN_WALK = 64;
  private static final int ATTEMPTS = 4;

  private final Database db;
  private final RefreshSettings refresh;
  private final Duration tokenLength;
  private final Duration clockSkew;
  private final Clock clock;
  private final byte[] chainKey;

  public Sessions(Database db, MasterKey masterKey, AuthServerConfig config) {
    this.db = db;
    this.refresh = config.sessions().refresh();
    this.tokenLength = config.tokenLength();
    this.clockSkew = config.clockSkew();
    this.clock = config.clock();
    this.chainKey = masterKey.deriveKey("latchkey refresh token chain v1");
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
    String sid = TokenIssuer.newSessionId();
    IssuedToken access = tokens.issue(user.id(), sid);
    long now = clock.millis();
    boolean refreshing = withRefresh && refresh.enabled();
    long absolute = refreshing ? now + refresh.absoluteLifetime().toMillis() : accessExpiry(now);
    long idle = refreshing ? Math.min(absolute, now + refresh.idleLifetime().toMillis()) : absolute;
    String refreshToken = refreshing ? randomToken() : null;
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO sessions (sid, user_id, created_at, last_used_at, idle_expires_at,"
                      + " absolute_expires_at, access_expires_at, refresh_hash, refresh_rotated_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, sid);
            ps.setString(2, user.id());
            ps.setLong(3, now);
            ps.setLong(4, now);
            ps.setLong(5, idle);
            ps.setLong(6, absolute);
            ps.setLong(7, accessExpiry(now));
            ps.setString(8, refreshToken == null ? null : hash(refreshToken));
            ps.setObject(9, refreshToken == null ? null : now, java.sql.Types.BIGINT);
            return ps.executeUpdate();
          }
        });
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
      throw new RefreshRejected("malformed");
    }
    Outcome outcome = withRetries(c -> refreshLocked(c, presented));
    if (outcome.rejected() != null) {
      if (outcome.rejected().equals("reused")) {
        log.warn("Refresh token reuse: revoked session {} (possible token theft)", outcome.sid());
      }
      throw new RefreshRejected(outcome.rejected());
    }
    IssuedToken access = tokens.issue(outcome.userId(), outcome.sid());
    return new SessionTokens(
        access, outcome.refreshToken(), Instant.ofEpochMilli(outcome.absoluteExpiresAt()));
  }

  private record Outcome(
      String sid, String userId, String refreshToken, long absoluteExpiresAt, String rejected) {
    static Outcome reject(String sid, String reason) {
      return new Outcome(sid, null, null, 0, reason);
    }
  }

  private record Row(
      String sid,
      String userId,
      long idleExpiresAt,
      long absoluteExpiresAt,
      Long revokedAt,
      String refreshHash) {
    boolean live(long now) {
      return revokedAt == null && now < idleExpiresAt && now < absoluteExpiresAt;
    }
  }

  private static final String ROW_COLUMNS =
      "sid, user_id, idle_expires_at, absolute_expires_at, revoked_at, refresh_hash";

  private Outcome refreshLocked(Connection c, String presented) throws SQLException {
    long now = clock.millis();
    String presentedHash = hash(presented);
    Optional<Row> current = lockRow(c, "refresh_hash = ?", presentedHash);
    if (current.isPresent()) {
      Row row = current.get();
      if (!row.live(now)) {
        return Outcome.reject(row.sid(), "expired");
      }
      String next = child(presented);
      long idle = Math.min(row.absoluteExpiresAt(), now + refresh.idleLifetime().toMillis());
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE sessions SET refresh_hash = ?, refresh_rotated_at = ?, last_used_at = ?,"
                  + " idle_expires_at = ?, access_expires_at = ?"
                  + " WHERE sid = ? AND refresh_hash = ? AND revoked_at IS NULL")) {
        ps.setString(1, hash(next));
        ps.setLong(2, now);
        ps.setLong(3, now);
        ps.setLong(4, idle);
        ps.setLong(5, accessExpiry(now));
        ps.setString(6, row.sid());
        ps.setString(7, presentedHash);
        if (ps.executeUpdate() != 1) {
          throw new Raced(); // rotated by someone else meanwhile: look again
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO spent_refresh_tokens (token_hash, sid, spent_at) VALUES (?, ?, ?)")) {
        ps.setString(1, presentedHash);
        ps.setString(2, row.sid());
        ps.setLong(3, now);
        ps.executeUpdate();
      }
      return new Outcome(row.sid(), row.userId(), next, row.absoluteExpiresAt(), null);
    }

    String sid = null;
    long spentAt = 0;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT sid, spent_at FROM spent_refresh_tokens WHERE token_hash = ?")) {
      ps.setString(1, presentedHash);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          sid = rs.getString(1);
          spentAt = rs.getLong(2);
        }
      }
    }
    if (sid == null) {
      return Outcome.reject(null, "unknown");
    }
    Optional<Row> family = lockRow(c, "sid = ?", sid);
    if (family.isEmpty()) {
      return Outcome.reject(sid, "unknown");
    }
    Row row = family.get();
    if (row.revokedAt() != null) {
      return Outcome.reject(sid, "revoked");
    }
    if (!row.live(now)) {
      return Outcome.reject(sid, "expired");
    }
    if (now - spentAt <= refresh.reuseGrace().toMillis() && row.refreshHash() != null) {
      // A parallel tab: hand out the family's current token (found by walking the chain).
      String t = presented;
      for (int i = 0; i < MAX_CHAIN_WALK; i++) {
        t = child(t);
        if (hash(t).equals(row.refreshHash())) {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE sessions SET last_used_at = ?, access_expires_at = ? WHERE sid = ?")) {
            ps.setLong(1, now);
            ps.setLong(2, accessExpiry(now));
            ps.setString(3, sid);
            ps.executeUpdate();
          }
          return new Outcome(sid, row.userId(), t, row.absoluteExpiresAt(), null);
        }
      }
    }
    revokeLocked(c, sid, now, "refresh_reuse");
    return Outcome.reject(sid, "reused");
  }

  private Optional<Row> lockRow(Connection c, String where, String value) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + ROW_COLUMNS + " FROM sessions WHERE " + where + " FOR UPDATE")) {
      ps.setString(1, value);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long revoked = rs.getLong(5);
        Long revokedAt = rs.wasNull() ? null : revoked;
        return Optional.of(
            new Row(
                rs.getString(1),
                rs.getString(2),
                rs.getLong(3),
                rs.getLong(4),
                revokedAt,
                rs.getString(6)));
      }
    }
  }

  /**
   * The session a refresh token belongs to, whether it is the current or a spent one (logout with
   * the refresh cookie).
   */
  public Optional<String> sessionOfRefreshToken(String token) {
    if (token == null || !TOKEN_SHAPE.matcher(token).matches()) {
      return Optional.empty();
    }
    String h = hash(token);
    return db.inTransaction(
        c -> {
          for (String sql :
              List.of(
                  "SELECT sid FROM sessions WHERE refresh_hash = ?",
                  "SELECT sid FROM spent_refresh_tokens WHERE token_hash = ?")) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              ps.setString(1, h);
              try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                  return Optional.of(rs.getString(1));
                }
              }
            }
          }
          return Optional.<String>empty();
        });
  }

  /**
   * Revokes one session (logout): its tokens appear in the revocation feed and its refresh family
   * ends. Idempotent.
   *
   * @return true when the session existed and was not revoked before
   */
  public boolean revoke(String sid) {
    return revoke(sid, "logout");
  }

  /** Revokes one session with a reason ({@code logout}, {@code admin}, ...). */
  public boolean revoke(String sid, String reason) {
    if (sid == null || sid.length() > 64) {
      return false;
    }
    long now = clock.millis();
    return db.inTransaction(c -> revokeLocked(c, sid, now, reason)) == 1;
  }

  private static int revokeLocked(Connection c, String sid, long now, String reason)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE sessions SET revoked_at = ?, revoke_reason = ?, refresh_hash = NULL"
                + " WHERE sid = ? AND revoked_at IS NULL")) {
      ps.setLong(1, now);
      ps.setString(2, reason);
      ps.setString(3, sid);
      return ps.executeUpdate();
    }
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
    long now = clock.millis();
    long stillUsable = now - clockSkew.toMillis();
    int n =
        db.inTransaction(
            c -> {
              String userId = userIdOrEmail;
              if (userIdOrEmail.contains("@")) {
                String email = EmailAddress.normalize(userIdOrEmail);
                try (PreparedStatement ps =
                    c.prepareStatement("SELECT id FROM users WHERE email = ?")) {
                  ps.setString(1, email);
                  try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                      throw new UserException("unknown_user", "no user with email " + email);
                    }
                    userId = rs.getString(1);
                  }
                }
              }
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "UPDATE sessions SET revoked_at = ?, revoke_reason = 'admin',"
                          + " refresh_hash = NULL WHERE user_id = ? AND revoked_at IS NULL"
                          + " AND (access_expires_at > ? OR (refresh_hash IS NOT NULL"
                          + " AND idle_expires_at > ? AND absolute_expires_at > ?))")) {
                ps.setLong(1, now);
                ps.setString(2, userId);
                ps.setLong(3, stillUsable);
                ps.setLong(4, now);
                ps.setLong(5, now);
                return ps.executeUpdate();
              }
            });
    log.info("Revoked {} sessions of a user", n);
    return n;
  }

  /**
   * Sessions revoked at or after {@code since} whose access tokens may still be unexpired (the
   * newest token's {@code exp} plus the clock skew is still ahead), oldest first: the revocation
   * feed.
   */
  public List<Revocation> revokedSince(Instant since) {
    long now = clock.millis();
    long relevantFrom = now - tokenLength.toMillis() - clockSkew.toMillis();
    long from = Math.max(since.toEpochMilli(), relevantFrom);
    return db.inTransaction(
        c -> {
          List<Revocation> list = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT sid, revoked_at FROM sessions WHERE revoked_at IS NOT NULL"
                      + " AND revoked_at >= ? AND access_expires_at > ?"
                      + " ORDER BY revoked_at, sid")) {
            ps.setLong(1, from);
            ps.setLong(2, now - clockSkew.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                list.add(new Revocation(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))));
              }
            }
          }
          return list;
        });
  }

  /** One session, for admin and tests. */
  public Optional<SessionInfo> find(String sid) {
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT sid, user_id, created_at, last_used_at, idle_expires_at,"
                      + " absolute_expires_at, access_expires_at, revoked_at, revoke_reason"
                      + " FROM sessions WHERE sid = ?")) {
            ps.setString(1, sid);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.<SessionInfo>empty();
              }
              long revoked = rs.getLong(8);
              Instant revokedAt = rs.wasNull() ? null : Instant.ofEpochMilli(revoked);
              return Optional.of(
                  new SessionInfo(
                      rs.getString(1),
                      rs.getString(2),
                      Instant.ofEpochMilli(rs.getLong(3)),
                      Instant.ofEpochMilli(rs.getLong(4)),
                      Instant.ofEpochMilli(rs.getLong(5)),
                      Instant.ofEpochMilli(rs.getLong(6)),
                      Instant.ofEpochMilli(rs.getLong(7)),
                      revokedAt,
                      rs.getString(9)));
            }
          }
        });
  }

  /**
   * Deletes sessions that can no longer matter: every access token expired (plus skew) and no
   * refresh possible. Their spent refresh tokens go with them. Returns how many.
   */
  public int purgeExpired() {
    long now = clock.millis();
    return db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM sessions WHERE access_expires_at < ? AND (revoked_at IS NOT NULL"
                      + " OR idle_expires_at < ? OR absolute_expires_at < ?)")) {
            ps.setLong(1, now - clockSkew.toMillis());
            ps.setLong(2, now);
            ps.setLong(3, now);
            return ps.executeUpdate();
          }
        });
  }

  private long accessExpiry(long now) {
    return now + tokenLength.toMillis();
  }

  private static final class Raced extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Raced() {
      super(null, null, false, false);
    }
  }

  private <T> T withRetries(Database.Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return db.inTransaction(work);
      } catch (Raced e) {
        if (attempt >= ATTEMPTS) {
          throw new RefreshRejected("contended");
        }
      }
    }
  }

  private static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The successor of a refresh token in its family: HMAC-SHA256 under the chain key. */
  private String child(String token) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(chainKey, "HmacSHA256"));
      byte[] out = mac.doFinal(token.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What is stored of a refresh token: base64url(SHA-256). */
  static String hash(String token) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
