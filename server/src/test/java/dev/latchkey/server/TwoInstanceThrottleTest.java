package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.login;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.throttle.ThrottleSettings;
import dev.latchkey.testing.MutableClock;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two auth server instances on one database (H2's file with {@code AUTO_SERVER}, or one PostgreSQL
 * schema) share the throttle's counters: failures spread over both lock the account on both.
 */
class TwoInstanceThrottleTest {
  private static final String EMAIL = "ada@example.com";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String WRONG = "not the password at all";

  @TempDir Path tempDir;
  private final MutableClock clock = MutableClock.startingNow();
  private AuthServerConfig config;

  @AfterEach
  void dropSchema() {
    if (config != null) {
      TestDatabase.dropSchema(config);
    }
  }

  private static void assertLocked(HttpResponse<String> r, long seconds) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
    assertThat(r.headers().firstValue("Retry-After")).contains(Long.toString(seconds));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void failuresSpreadOverTwoInstancesLockTheAccountOnBoth(TestDatabase db) {
    config = TestDatabase.quiet(db.freshConfig(tempDir)).withClock(clock);
    try (AuthServer first = AuthServer.start(config);
        AuthServer second = AuthServer.start(config)) {
      assertThat(second.baseUrl()).isNotEqualTo(first.baseUrl());
      first.store().users().add(EMAIL, PASSWORD.toCharArray());
      int threshold = ThrottleSettings.defaults().accountThreshold();
      for (int i = 0; i < threshold; i++) {
        AuthServer instance = i % 2 == 0 ? first : second;
        assertThat(login(instance, EMAIL, WRONG).statusCode())
            .as("failure %d", i + 1)
            .isEqualTo(401);
      }

      // Neither instance alone saw the threshold, yet both refuse, even the right password.
      assertLocked(login(first, EMAIL, PASSWORD), 1);
      assertLocked(login(second, EMAIL, PASSWORD), 1);

      // The next failure, on either, doubles the lock for both.
      clock.advance(Duration.ofSeconds(1));
      assertThat(login(second, EMAIL, WRONG).statusCode()).isEqualTo(401);
      assertLocked(login(first, EMAIL, PASSWORD), 2);

      // A success on one clears the account's counter for both.
      clock.advance(Duration.ofSeconds(2));
      assertThat(login(first, EMAIL, PASSWORD).statusCode()).isEqualTo(200);
      for (int i = 0; i < threshold - 1; i++) {
        assertThat(login(second, EMAIL, WRONG).statusCode()).isEqualTo(401);
      }
      assertThat(login(second, EMAIL, PASSWORD).statusCode()).isEqualTo(200);
    }
  }
}
