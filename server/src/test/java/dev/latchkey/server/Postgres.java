package dev.latchkey.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL the integration tests also run against (127.0.0.1:5432, database {@code test},
 * user {@code postgres}, trust auth). Where none is running, its tests are skipped with a clear
 * message, so that {@code mvn verify} works on a machine with only Java, Maven and Node; {@code
 * -Dpostgres.tests.required=true} (CI) makes that a failure.
 */
public final class Postgres {

  public static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  public static final String USER = "postgres";

  private static Boolean reachable;

  private Postgres() {}

  public static synchronized void assumeAvailable() {
    if (reachable == null) {
      reachable = canConnect();
    }
    if (reachable) {
      return;
    }
    String why = "no PostgreSQL at " + URL + " (user " + USER + ", trust auth)";
    if (Boolean.getBoolean("postgres.tests.required")) {
      fail("PostgreSQL tests are required but cannot run: " + why);
    }
    Assumptions.abort("PostgreSQL test skipped: " + why);
  }

  private static boolean canConnect() {
    try (Connection c = DriverManager.getConnection(URL + "?connectTimeout=2", USER, null)) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }
}
