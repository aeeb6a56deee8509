package dev.latchkey.server.keys;

import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Reading the {@code signing_keys} rows. */
final class KeyRows {
  private static final String SELECT =
      "SELECT kid, algorithm, state, public_jwk, created_at, activates_at, activated_at,"
          + " retired_at, removes_at, revoked_at FROM signing_keys";

  private KeyRows() {}

  /** Every key ever made, oldest first, without private parts. */
  static List<SigningKeyInfo> all(Connection c) throws SQLException {
    return Sql.list(c, SELECT + " ORDER BY created_at, kid", KeyRows::row);
  }

  /** The encrypted private key of a key that still has one. */
  static Optional<String> sealedPrivateKey(Database db, String kid) {
    return db.queryOne(
            "SELECT private_key_enc FROM signing_keys WHERE kid = ?",
            rs -> Optional.ofNullable(rs.getString(1)),
            kid)
        .flatMap(encrypted -> encrypted);
  }

  private static SigningKeyInfo row(ResultSet rs) throws SQLException {
    return new SigningKeyInfo(
        rs.getString("kid"),
        rs.getString("algorithm"),
        KeyState.valueOf(rs.getString("state")),
        Sql.instant(rs, "created_at"),
        Sql.instant(rs, "activates_at"),
        Sql.instant(rs, "activated_at"),
        Sql.instant(rs, "retired_at"),
        Sql.instant(rs, "removes_at"),
        Sql.instant(rs, "revoked_at"),
        rs.getString("public_jwk"));
  }
}
