package dev.latchkey.server.keys;

import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.AuthStore;
import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.tokens.IssuedToken;
import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.server.users.HashingSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;

/**
 * Churns the signing keys of a database as fast as it can, for {@link KeyStoreCrashTest}, which
 * kills it at arbitrary points: every round rotates, moves its clock on, applies the schedule,
 * sometimes revokes a key, and issues a token. One line per completed step on stdout ({@code STEP
 * ...}), and one {@code TOKEN kid jwt} line per issued token, flushed at once.
 *
 * <p>Arguments: {@code dbUrl|- dbSchema|- dbUser|- dataDir masterKeyBase64 seconds seed
 * startEpochSecond}: the clock starts at that second, or one second after the latest time stored,
 * whichever is later, and is printed ({@code STEP clock ...}) before anything uses a new value.
 */
public final class RotationChurn {
  static final String EMAIL = "churn@example.com";
  static final char[] PASSWORD = "churn-password-123".toCharArray();

  private RotationChurn() {}

  /** The configuration both the churn and the test that checks its database use. */
  static AuthServerConfig config(
      String dbUrl, String dbSchema, String dbUser, Path dataDir, String masterKey, Clock clock) {
    StoreSettings store = StoreSettings.embedded(dataDir).withMasterKey(masterKey);
    if (dbUrl != null) {
      store = store.withDatabase(dbUrl, dbUser, null, dbSchema);
    }
    AuthServerConfig defaults = AuthServerConfig.defaults();
    return defaults
        .withHttp(HttpSettings.defaults().withAddress("127.0.0.1", 0))
        .withStore(store)
        .withHashing(new HashingSettings(new Argon2Params(1024, 1, 1), 1, 8))
        .withSessions(defaults.sessions().withSessionLength(Duration.ofMinutes(30)))
        .withKeys(
            new KeySettings(
                "RS256",
                Duration.ofMinutes(20),
                Duration.ofMinutes(10),
                Duration.ofMinutes(1),
                defaults.keys().rotationCheckInterval()))
        .withClock(clock);
  }

  /**
   * The latest moment the database has seen (key changes, sessions), in whole seconds: a restarted
   * process continues from there, so that its clock never runs backwards against stored times.
   */
  static Instant latestStoredInstant(AuthStore store) {
    long max =
        store
            .database()
            .inTransaction(
                c -> {
                  long m = 0;
                  for (String sql :
                      List.of(
                          "SELECT MAX(created_at), MAX(activated_at), MAX(retired_at),"
                              + " MAX(revoked_at) FROM signing_keys",
                          "SELECT MAX(created_at), MAX(last_used_at) FROM sessions")) {
                    try (PreparedStatement ps = c.prepareStatement(sql);
                        ResultSet rs = ps.executeQuery()) {
                      rs.next();
                      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        m = Math.max(m, rs.getLong(i));
                      }
                    }
                  }
                  return m;
                });
    return Instant.ofEpochSecond(max / 1000);
  }

  public static void main(String[] args) {
    String dbUrl = arg(args[0]);
    String dbSchema = arg(args[1]);
    String dbUser = arg(args[2]);
    Path dataDir = Path.of(args[3]);
    String masterKey = args[4];
    long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[5])).toNanos();
    Random random = new Random(Long.parseLong(args[6]));
    Instant startAt = Instant.ofEpochSecond(Long.parseLong(args[7]));
    PrintStream out = System.out;

    MovingClock clock = new MovingClock();
    try (AuthStore store =
        AuthStore.open(config(dbUrl, dbSchema, dbUser, dataDir, masterKey, clock))) {
      Instant start = latestStoredInstant(store).plusSeconds(1);
      clock.now = start.isAfter(startAt) ? start : startAt;
      out.println("STEP clock " + clock.now.getEpochSecond());
      out.flush();
      step(out, "open", store.keys().ensureActiveKey());
      if (store.users().findEnabled(EMAIL).isEmpty()) {
        store.users().add(EMAIL, PASSWORD.clone());
        out.println("STEP user added");
        out.flush();
      }
      for (int round = 1; System.nanoTime() < deadline; round++) {
        step(out, "rotate", store.keys().rotate());
        clock.now = clock.now.plusSeconds(60L * (2 + random.nextInt(7)));
        out.println("STEP clock " + clock.now.getEpochSecond());
        out.flush();
        step(out, "maintain", store.keys().maintain());
        if (round % 3 == 0) {
          List<SigningKeyInfo> retired =
              store.keys().list().stream().filter(k -> k.state() == KeyState.RETIRED).toList();
          if (!retired.isEmpty()) {
            String kid = retired.get(random.nextInt(retired.size())).kid();
            step(out, "revoke retired " + kid, store.keys().revoke(kid));
          }
        }
        if (round % 7 == 0) {
          String kid = store.keys().active().kid();
          step(out, "revoke active " + kid, store.keys().revoke(kid));
        }
        IssuedToken token = store.issueToken(EMAIL);
        out.println("TOKEN " + token.kid() + " " + token.token());
        out.println("STEP token " + token.kid());
        out.flush();
      }
    }
    out.println("DONE");
    out.flush();
  }

  private static void step(PrintStream out, String what, List<String> changes) {
    out.println("STEP " + what + " " + changes);
    out.flush();
  }

  private static String arg(String value) {
    return value.equals("-") ? null : value;
  }

  /** Starts at the wall clock's whole second; moved only by whoever holds it. */
  static final class MovingClock extends Clock {
    volatile Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
