package dev.latchkey.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One statement inside a transaction: prepare, bind, execute, map. Parameters bind by their Java
 * type: {@code String}, {@code Integer}, {@code Long}, {@code Boolean}, and {@code Instant} as
 * epoch milliseconds (every time column is a {@code BIGINT}); {@code null} binds SQL NULL.
 */
public final class Sql {
  private Sql() {}

  /** Reads one row of a result. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Runs an INSERT, UPDATE or DELETE; returns the number of rows it changed. */
  public static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params)) {
      return ps.executeUpdate();
    }
  }

  /**
   * Runs an INSERT that a unique constraint may refuse because a concurrent insert of the same key
   * won the race. The transaction goes on either way: the insert runs under a savepoint, because
   * PostgreSQL aborts the whole transaction on an error that is not rolled back to one.
   *
   * @return false when a constraint refused the row
   */
  public static boolean insertUnlessTaken(Connection c, String sql, Object... params)
      throws SQLException {
    Savepoint beforeInsert = c.setSavepoint();
    try {
      update(c, sql, params);
      c.releaseSavepoint(beforeInsert);
      return true;
    } catch (SQLException e) {
      if (Database.isConstraintViolation(e)) {
        c.rollback(beforeInsert);
        return false;
      }
      throw e;
    }
  }

  /** The first row of a query, if any (and empty when the row maps to null, e.g. a NULL column). */
  public static <T> Optional<T> one(Connection c, String sql, RowMapper<T> row, Object... params)
      throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.ofNullable(row.map(rs)) : Optional.empty();
    }
  }

  /** Every row of a query, in the order the database returns them. */
  public static <T> List<T> list(Connection c, String sql, RowMapper<T> row, Object... params)
      throws SQLException {
    List<T> rows = new ArrayList<>();
    try (PreparedStatement ps = prepare(c, sql, params);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(row.map(rs));
      }
    }
    return rows;
  }

  /** A nullable epoch-milliseconds column as an instant. */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(value);
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      for (int i = 0; i < params.length; i++) {
        bind(ps, i + 1, params[i]);
      }
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  private static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.NULL);
    } else if (value instanceof String s) {
      ps.setString(index, s);
    } else if (value instanceof Long l) {
      ps.setLong(index, l);
    } else if (value instanceof Integer i) {
      ps.setInt(index, i);
    } else if (value instanceof Boolean b) {
      ps.setBoolean(index, b);
    } else if (value instanceof Instant t) {
      ps.setLong(index, t.toEpochMilli());
    } else {
      throw new IllegalArgumentException("cannot bind a " + value.getClass().getSimpleName());
    }
  }
}
