package dev.latchkey.server;

import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.server.users.HashingSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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
    StoreSettings store =
        StoreSettings.embedded(tempDir.resolve("data")).withMasterKey(MasterKey.generateBase64());
    if (this == POSTGRES) {
      String schema = "lk_" + UUID.randomUUID().toString().replace("-", "");
      store = store.withDatabase(PG_URL, PG_USER, null, schema);
    }
    return AuthServerConfig.defaults()
        .withHttp(HttpSettings.defaults().withAddress("127.0.0.1", 0))
        .withStore(store)
        .withHashing(new HashingSettings(FAST_HASHING, 2, 64));
  }

  /** The config without rotation checks during a test: the test drives the schedule itself. */
  static AuthServerConfig quiet(AuthServerConfig config) {
    return config.withKeys(config.keys().withRotationCheckInterval(Duration.ofHours(1)));
  }

  /** Drops what {@link #freshConfig} created (H2 lives in the temp folder JUnit deletes). */
  static void dropSchema(AuthServerConfig config) {
    StoreSettings store = config.store();
    if (store.dbSchema() == null || store.dbUrl() == null) {
      return;
    }
    try (Connection c = DriverManager.getConnection(store.dbUrl(), store.dbUser(), null);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + store.dbSchema() + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
