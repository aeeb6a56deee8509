package dev.latchkey.server.sessions;

import dev.latchkey.server.store.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Pattern;

/** The refresh-family rows: sessions by their current token, and the spent tokens kept. */
final class RefreshFamilies {
  private static final String FAMILY_COLUMNS =
      "sid, user_id, idle_expires_at, absolute_expires_at, revoked_at, refresh_hash,"
          + " refresh_rotated_at, last_used_at, amr,"
          + " (SELECT u.disabled FROM users u WHERE u.id = sessions.user_id), dpop_jkt";

  private static final Pattern TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

  private RefreshFamilies() {}

  /** Whether a presented value is shaped like a refresh token (else it is not looked up). */
  static boolean wellFormed(String token) {
    return token != null && TOKEN_SHAPE.matcher(token).matches();
  }

  /** What is stored about a presented token, its family's row locked. */
  static StoredRefreshToken lookUp(Connection c, String tokenHash) throws SQLException {
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

  /** Records a token as spent, keeping the family's {@code kept} most recently spent ones only. */
  static void spend(Connection c, String tokenHash, String sid, long now, int kept)
      throws SQLException {
    Sql.update(
        c,
        "INSERT INTO spent_refresh_tokens (token_hash, sid, spent_at) VALUES (?, ?, ?)",
        tokenHash,
        sid,
        now);
    Optional<Long> oldestKept =
        Sql.one(
            c,
            "SELECT spent_at FROM spent_refresh_tokens WHERE sid = ?"
                + " ORDER BY spent_at DESC OFFSET "
                + (kept - 1)
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

  /** The session of a current or spent token. */
  static Optional<String> sessionOf(Connection c, String tokenHash) throws SQLException {
    Optional<String> sid =
        Sql.one(
            c, "SELECT sid FROM sessions WHERE refresh_hash = ?", rs -> rs.getString(1), tokenHash);
    return sid.isPresent()
        ? sid
        : Sql.one(
            c,
            "SELECT sid FROM spent_refresh_tokens WHERE token_hash = ?",
            rs -> rs.getString(1),
            tokenHash);
  }

  private static Optional<RefreshFamily> lockFamily(Connection c, String where, String value)
      throws SQLException {
    return Sql.one(
        c,
        "SELECT " + FAMILY_COLUMNS + " FROM sessions WHERE " + where + " FOR UPDATE",
        RefreshFamilies::family,
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
        rs.getBoolean(10),
        AmrColumn.read(rs.getString(9)),
        rs.getString(11));
  }
}
