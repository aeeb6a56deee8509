package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/guide-production.md's PostgreSQL statements, run as written (under fresh names) on a real
 * PostgreSQL: an auth server started as the role they create migrates the schema, signs and keeps
 * users. So the privileges the guide grants are the ones Flyway and the server need.
 */
class ProductionGuideDatabaseTest {
  private static final Pattern SQL_BLOCK = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL);

  @TempDir Path tempDir;

  @Test
  void anAuthServerRunsAsTheRoleTheGuideCreatesInTheDatabaseItCreates() throws Exception {
    runAsTheGuideSays(0, false);
  }

  @Test
  void anAuthServerRunsInTheSchemaTheGuideCreatesInAnExistingDatabase() throws Exception {
    runAsTheGuideSays(1, true);
  }

  private void runAsTheGuideSays(int block, boolean ownSchema) throws Exception {
    Postgres.assumeAvailable();
    String name = "lk_guide_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String statements = guideSql().get(block).replace("latchkey", name);
    try (Connection admin = DriverManager.getConnection(Postgres.URL, Postgres.USER, null);
        Statement s = admin.createStatement()) {
      for (String statement : statements.split(";")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
    }
    String url = ownSchema ? Postgres.URL : Postgres.URL.replace("/test", "/" + name);
    StoreSettings store =
        StoreSettings.embedded(tempDir.resolve("data"))
            .withMasterKey(MasterKey.generateBase64())
            .withDatabase(url, name, "change-me", ownSchema ? name : null);
    try (AuthServer server =
        AuthServer.start(TestDatabase.H2.freshConfig(tempDir).withStore(store))) {
      String id =
          server.store().users().add("ada@example.com", "a long enough passphrase".toCharArray());
      assertThat(id).isNotBlank();
      assertThat(server.store().issueToken("ada@example.com").token()).isNotBlank();
    } finally {
      try (Connection admin = DriverManager.getConnection(Postgres.URL, Postgres.USER, null);
          Statement s = admin.createStatement()) {
        if (ownSchema) {
          s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        } else {
          s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
        s.execute("DROP ROLE IF EXISTS " + name);
      }
    }
  }

  /** The sql blocks of the guide's PostgreSQL section, in order. */
  private static List<String> guideSql() throws Exception {
    Path here = Path.of("").toAbsolutePath();
    while (here != null && !Files.exists(here.resolve("docs/guide-production.md"))) {
      here = here.getParent();
    }
    assertThat(here).as("the checkout's docs/ folder").isNotNull();
    String guide = Files.readString(here.resolve("docs/guide-production.md"));
    String section = guide.substring(guide.indexOf("## 2. PostgreSQL"), guide.indexOf("## 3."));
    List<String> blocks = new ArrayList<>();
    Matcher block = SQL_BLOCK.matcher(section);
    while (block.find()) {
      blocks.add(block.group(1));
    }
    assertThat(blocks).as("the sql blocks of the guide's PostgreSQL section").hasSize(2);
    return blocks;
  }
}
