package dev.latchkey.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** A PostgreSQL without autovacuum is named in the log at start, with what to do. */
class HousekeepingTest {
  @Test
  void onlyAutovacuumOffIsWarnedAbout() {
    assertThat(Housekeeping.warningFor("off"))
        .hasValueSatisfying(w -> assertThat(w).contains("VACUUM"));
    assertThat(Housekeeping.warningFor("on")).isEmpty();
  }

  @Test
  void theWarningFollowsTheServersSetting() throws Exception {
    Postgres.assumeAvailable();
    try (Connection c = DriverManager.getConnection(Postgres.URL, Postgres.USER, null);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT setting FROM pg_settings WHERE name = 'autovacuum'")) {
      assertThat(r.next()).isTrue();
      boolean off = r.getString(1).equals("off");
      assertThat(Housekeeping.postgresWarning(c).isPresent()).isEqualTo(off);
    }
  }
}
