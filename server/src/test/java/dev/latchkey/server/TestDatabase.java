package dev.latchkey.server;

import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.users.Argon2Params;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** The two databases every integration test runs against. */
enum TestDatabase {
  H2,
  POSTGRES;

  static final String PG_URL = Postgres.URL;
  static final String PG_USER = Postgres.USER;

  /** Cheap Argon2id parameters so that the test run stays fast; one test uses the real ones. */
  static final Argon2Params FAST_HASHING = new Argon2Params(256, 1, 1);

  /** A fresh, empty database (a folder or a schema) and a config for it on a free loopback port. */
  AuthServerConfig freshConfig(Path tempDir) {
    if (this == POSTGRES) {
      Postgres.assumeAvailable();
    }
    AuthServerConfig base =
        AuthServerConfig.defaults()
            .withHost("127.0.0.1")
            .withPort(0)
            .withDataDir(tempDir.resolve("data"))
            .withMasterKey(MasterKey.generateBase64())
            .withPasswordHashing(FAST_HASHING)
            .withHashPool(2, 64);
    return switch (this) {
      case H2 -> base;
      case POSTGRES ->
          base.withDbUrl(PG_URL)
              .withDbCredentials(PG_USER, null)
              .withDbSchema("lk_" + UUID.randomUUID().toString().replace("-", ""));
    };
  }

  /** Drops what {@link #freshConfig} created (H2 lives in the temp folder JUnit deletes). */
  static void dropSchema(AuthServerConfig config) {
    if (config.dbSchema() == null || config.dbUrl() == null) {
      return;
    }
    try (Connection c = DriverManager.getConnection(config.dbUrl(), config.dbUser(), null);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + config.dbSchema() + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
