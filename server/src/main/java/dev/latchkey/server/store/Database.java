package dev.latchkey.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool and the schema. Every database access of the server goes through {@link
 * #inTransaction}, which is also the one place that turns an outage into {@link
 * StoreUnavailableException}.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final HikariDataSource dataSource;

  private Database(HikariDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Whether the database's schema is this build's (false when another instance's newer or older
   * schema is in the way, or the database cannot be asked).
   */
  public boolean isMigrated() {
    try (Connection c = dataSource.getConnection()) {
      return SchemaVersion.isCurrent(c);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  /** Opens the pool and brings the schema up to date with the Flyway migrations. */
  public static Database open(StoreSettings settings) {
    String url = settings.effectiveDbUrl();
    if (settings.dbUrl() == null) {
      try {
        Files.createDirectories(settings.dataDir());
      } catch (IOException e) {
        throw new IllegalStateException("cannot create data folder " + settings.dataDir(), e);
      }
    }
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(url);
    if (settings.dbUser() != null) {
      hikari.setUsername(settings.dbUser());
    }
    if (settings.dbPassword() != null) {
      hikari.setPassword(settings.dbPassword());
    }
    if (settings.dbSchema() != null) {
      hikari.setSchema(settings.dbSchema());
    }
    if (url.startsWith("jdbc:postgresql:")) {
      // A server error's detail quotes the row's values (an email in a unique violation): keep
      // them out of exception messages, which reach the logs.
      hikari.addDataSourceProperty("logServerErrorDetail", "false");
    }
    hikari.setPoolName("latchkey");
    hikari.setMaximumPoolSize(10);
    hikari.setMinimumIdle(1);
    hikari.setConnectionTimeout(2_000);
    hikari.setValidationTimeout(1_000);
    hikari.setAutoCommit(true);
    // Once migrated, keep running through outages: requests get 503 until the database is back.
    hikari.setInitializationFailTimeout(-1);
    HikariDataSource ds = null;
    // One connection stays open from the schema check until the pool has its own: an embedded
    // database is opened once, not closed after the check and opened again by the pool.
    try (Connection first =
        DriverManager.getConnection(url, settings.dbUser(), settings.dbPassword())) {
      if (!SchemaVersion.isCurrent(first, settings.dbSchema())) {
        migrate(url, settings.dbUser(), settings.dbPassword(), settings.dbSchema());
      }
      if (url.startsWith("jdbc:postgresql:")) {
        Housekeeping.postgresWarning(first).ifPresent(log::warn);
      }
      ds = new HikariDataSource(hikari);
      ds.getConnection().close();
    } catch (SQLException | RuntimeException e) {
      if (ds != null) {
        ds.close();
      }
      throw new StoreUnopenableException(describe(url), e);
    }
    log.info("Database ready at {}", describe(url));
    return new Database(ds);
  }

  private static void migrate(String url, String user, String password, String schema) {
    var flyway =
        Flyway.configure()
            .dataSource(url, user, password)
            .locations("classpath:db/migration")
            .loggers("slf4j");
    if (schema != null) {
      flyway.schemas(schema).createSchemas(true);
    }
    flyway.load().migrate();
  }

  /** Work done inside one transaction: committed when it returns, rolled back when it throws. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  public <T> T inTransaction(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException e) {
      RuntimeException translated = translate(e);
      if (translated instanceof StoreUnavailableException) {
        // Drop pooled connections that may be dead, so the first request after recovery works.
        var pool = dataSource.getHikariPoolMXBean();
        if (pool != null) {
          pool.softEvictConnections();
        }
      }
      throw translated;
    }
  }

  /**
   * Runs work in a transaction, again in a fresh one each time it throws {@link RaceLost}; after
   * {@code attempts} lost races throws what {@code contended} supplies.
   */
  public <T> T inTransactionRetrying(
      int attempts, Work<T> work, Supplier<? extends RuntimeException> contended) {
    for (int attempt = 1; ; attempt++) {
      try {
        return inTransaction(work);
      } catch (RaceLost e) {
        if (attempt >= attempts) {
          throw contended.get();
        }
      }
    }
  }

  /** One INSERT, UPDATE or DELETE in its own transaction (see {@link Sql#update}). */
  public int update(String sql, Object... params) {
    return inTransaction(c -> Sql.update(c, sql, params));
  }

  /** The first row of one query in its own transaction (see {@link Sql#one}). */
  public <T> Optional<T> queryOne(String sql, Sql.RowMapper<T> row, Object... params) {
    return inTransaction(c -> Sql.one(c, sql, row, params));
  }

  /** Every row of one query in its own transaction (see {@link Sql#list}). */
  public <T> List<T> query(String sql, Sql.RowMapper<T> row, Object... params) {
    return inTransaction(c -> Sql.list(c, sql, row, params));
  }

  /** True when a connection can be had and answers. */
  public boolean isReachable() {
    try (Connection c = dataSource.getConnection()) {
      return c.isValid(1);
    } catch (SQLException e) {
      return false;
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the pool will discard it
    }
  }

  static RuntimeException translate(SQLException e) {
    if (isOutage(e)) {
      return new StoreUnavailableException("database unavailable", e);
    }
    return new StoreException("database error (SQL state " + e.getSQLState() + ")", e);
  }

  /** A unique or other integrity constraint refused the write (SQL state class 23): a race lost. */
  public static boolean isConstraintViolation(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("23");
  }

  /** Connection-level failures (by JDBC type or SQL state class 08 / 57P): the database is away. */
  private static boolean isOutage(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
          return true;
        }
      }
    }
    return false;
  }

  private static String describe(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
