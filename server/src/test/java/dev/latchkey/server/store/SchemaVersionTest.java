package dev.latchkey.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.Postgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Database#open} skips Flyway only when the schema is this build's. */
class SchemaVersionTest {
  @TempDir Path tempDir;

  /** What {@link Database#open} asks, on a connection of the test's own. */
  private static boolean isCurrent(String url, String user, String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, null)) {
      return SchemaVersion.isCurrent(c, schema);
    }
  }

  @Test
  void latestIsTheNewestMigrationFile() throws IOException {
    Pattern name = Pattern.compile("V(\\d+)__.*\\.sql");
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
      int newest =
          files
              .map(f -> name.matcher(f.getFileName().toString()))
              .filter(Matcher::matches)
              .mapToInt(m -> Integer.parseInt(m.group(1)))
              .max()
              .orElseThrow();
      assertThat(SchemaVersion.LATEST).isEqualTo(String.valueOf(newest));
    }
  }

  @Test
  void onH2AFreshDatabaseIsMigratedAndReopenedWithoutFlyway() throws SQLException {
    StoreSettings store = StoreSettings.embedded(tempDir.resolve("data"));
    String url = store.effectiveDbUrl();
    assertThat(isCurrent(url, null, null)).isFalse();

    try (Database db = Database.open(store)) {
      assertThat(db.isMigrated()).isTrue();
    }
    assertThat(isCurrent(url, null, null)).isTrue();
    try (Database db = Database.open(store)) {
      assertThat(db.isMigrated()).isTrue();
    }
  }

  @Test
  void onPostgresAnOlderSchemaIsStillMigrated() throws SQLException {
    Postgres.assumeAvailable();
    String schema = "lk_" + UUID.randomUUID().toString().replace("-", "");
    try {
      Flyway.configure()
          .dataSource(Postgres.URL, Postgres.USER, null)
          .locations("classpath:db/migration")
          .schemas(schema)
          .createSchemas(true)
          .target("25")
          .load()
          .migrate();
      assertThat(isCurrent(Postgres.URL, Postgres.USER, schema)).isFalse();

      StoreSettings store =
          StoreSettings.embedded(tempDir).withDatabase(Postgres.URL, Postgres.USER, null, schema);
      try (Database db = Database.open(store)) {
        assertThat(db.isMigrated()).isTrue();
      }
      assertThat(isCurrent(Postgres.URL, Postgres.USER, schema)).isTrue();
    } finally {
      try (Connection c = DriverManager.getConnection(Postgres.URL, Postgres.USER, null);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }
}
