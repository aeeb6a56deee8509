package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.Sql;
import dev.latchkey.server.store.StoreException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A race lost to a unique constraint is an answer, not a failure: the transaction that lost it goes
 * on and commits (PostgreSQL aborts a whole transaction on any error unless a savepoint undoes it).
 */
class StoreRaceTest {
  @TempDir Path tempDir;

  private final List<AuthServerConfig> dropLater = new ArrayList<>();

  @AfterEach
  void drop() {
    dropLater.forEach(TestDatabase::dropSchema);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aTransactionThatLostAnInsertRaceStillCommitsItsOtherWork(TestDatabase db) {
    AuthServerConfig config = db.freshConfig(tempDir);
    dropLater.add(config);
    try (Database database = Database.open(config.store())) {
      String insert =
          "INSERT INTO login_throttle (throttle_key, failures, locked_until, expires_at)"
              + " VALUES (?, 0, 0, 1)";
      database.update(insert, "taken");

      boolean inserted =
          database.inTransaction(
              c -> {
                boolean won = Sql.insertUnlessTaken(c, insert, "taken");
                Sql.update(c, insert, "written after the lost race");
                return won;
              });

      assertThat(inserted).isFalse();
      assertThat(
              database.queryOne(
                  "SELECT COUNT(*) FROM login_throttle WHERE throttle_key = ?",
                  rs -> rs.getInt(1),
                  "written after the lost race"))
          .contains(1);
    }
  }

  /** PostgreSQL's error detail is turned off; H2 (embedded, single process) quotes parameters. */
  @Test
  void aRefusedWriteOnPostgresDoesNotQuoteTheRowInItsError() {
    AuthServerConfig config = TestDatabase.POSTGRES.freshConfig(tempDir);
    dropLater.add(config);
    try (Database database = Database.open(config.store())) {
      String insert =
          "INSERT INTO login_throttle (throttle_key, failures, locked_until, expires_at)"
              + " VALUES (?, 0, 0, 1)";
      String secret = "someone@example.com";
      database.update(insert, secret);
      Throwable refused = catchThrowable(() -> database.update(insert, secret));
      assertThat(refused).isInstanceOf(StoreException.class);
      for (Throwable t = refused; t != null; t = t.getCause()) {
        assertThat(t.getMessage()).doesNotContain(secret);
      }
    }
  }
}
