package dev.latchkey.server.mfa;

import dev.latchkey.server.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** A user's recovery codes as rows: stored only as keyed hashes, each spent once. */
final class RecoveryCodeRows {
  private final RecoveryCodes recoveryCodes;

  RecoveryCodeRows(RecoveryCodes recoveryCodes) {
    this.recoveryCodes = recoveryCodes;
  }

  /** How many of the user's codes are unspent. */
  static int left(Connection c, String userId) throws SQLException {
    return Sql.one(
            c,
            "SELECT COUNT(*) FROM mfa_recovery_codes WHERE user_id = ? AND used_at IS NULL",
            rs -> rs.getInt(1),
            userId)
        .orElse(0);
  }

  /** Replaces the user's codes with fresh ones (the old ones stop working); returns them. */
  List<String> replace(Connection c, String userId, long now) throws SQLException {
    Sql.update(c, "DELETE FROM mfa_recovery_codes WHERE user_id = ?", userId);
    List<String> codes = recoveryCodes.generate();
    for (String code : codes) {
      String normalized = RecoveryCodes.normalize(code).orElseThrow();
      Sql.update(
          c,
          "INSERT INTO mfa_recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)",
          userId,
          recoveryCodes.hash(userId, normalized),
          now);
    }
    return codes;
  }
}
