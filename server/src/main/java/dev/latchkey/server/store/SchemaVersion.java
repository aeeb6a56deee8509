package dev.latchkey.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The schema version this build needs, and the one a database has: the newest successful row of
 * Flyway's history table, read with one query. When they are equal there is nothing to migrate, and
 * {@link Database#open} skips Flyway, whose class-path scan and validation take most of a second of
 * the server's start (it does not re-check the checksums of applied migrations then: a migration is
 * never edited once released).
 */
final class SchemaVersion {
  /**
   * The version of the newest file in {@code db/migration}; {@code SchemaVersionTest} keeps it so.
   */
  static final String LATEST = "33";

  private static final String NEWEST_APPLIED =
      "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" = TRUE"
          + " AND \"version\" IS NOT NULL ORDER BY \"installed_rank\" DESC";

  private SchemaVersion() {}

  /** Whether {@code schema} (null: the connection's own) has every migration of this build. */
  static boolean isCurrent(Connection c, String schema) {
    if (schema != null) {
      try {
        c.setSchema(schema);
      } catch (SQLException e) {
        return false; // no such schema yet: Flyway creates it
      }
    }
    return isCurrent(c);
  }

  /** Whether the database of {@code c} has every migration of this build (false when unsure). */
  static boolean isCurrent(Connection c) {
    return applied(c).filter(LATEST::equals).isPresent();
  }

  private static Optional<String> applied(Connection c) {
    try (PreparedStatement s = c.prepareStatement(NEWEST_APPLIED)) {
      s.setMaxRows(1);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      return Optional.empty();
    }
  }
}
