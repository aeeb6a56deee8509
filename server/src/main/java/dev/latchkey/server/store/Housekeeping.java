package dev.latchkey.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * What PostgreSQL must do for Latchkey's tables that Latchkey does not: every refresh rewrites its
 * session's row and inserts a spent token that is later deleted, so {@code sessions} and {@code
 * spent_refresh_tokens} gain a dead row per refresh. Autovacuum clears them; with it off they pile
 * up (a PostgreSQL soak at 280 refreshes a second: 176 000 dead rows and 20 MB per table after 10
 * minutes, against 2.4 and 2.8 MB flat with autovacuum) until scans and lookups slow down.
 */
public final class Housekeeping {
  private Housekeeping() {}

  /** The warning to log for this PostgreSQL, if any. */
  public static Optional<String> postgresWarning(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("SHOW autovacuum")) {
      return r.next() ? warningFor(r.getString(1)) : Optional.empty();
    }
  }

  static Optional<String> warningFor(String autovacuum) {
    if (!"off".equalsIgnoreCase(autovacuum)) {
      return Optional.empty();
    }
    return Optional.of(
        "PostgreSQL's autovacuum is off: every refresh leaves dead rows in sessions and"
            + " spent_refresh_tokens, and lookups slow down as they pile up. Turn it on, or run"
            + " VACUUM on those tables every few minutes (docs/operations.md, PostgreSQL).");
  }
}
