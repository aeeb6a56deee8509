package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.credentials;
import static dev.latchkey.server.TestHttp.login;
import static dev.latchkey.server.TestHttp.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.throttle.ThrottleSettings;
import dev.latchkey.testing.MutableClock;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A valid device cookie shields its owner from the per-address counter (one NAT, an office, a
 * carrier): an attempt with one is judged by its device's counter alone.
 */
class DeviceCookieThrottleTest {
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

  private static String deviceCookie(HttpResponse<String> login) {
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    String cookie =
        login.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("__Host-latchkey-device="))
            .findFirst()
            .orElseThrow();
    return cookie.substring(0, cookie.indexOf(';'));
  }

  private static HttpResponse<String> loginWithDevice(
      AuthServer server, String device, String password) {
    return postJson(server.loginUrl(), credentials(EMAIL, password), "Cookie", device);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void theOwnersBrowserLogsInFromAnAddressAnAttackerBesideItHasLocked(TestDatabase db) {
    config = TestDatabase.quiet(db.freshConfig(tempDir)).withClock(clock);
    try (AuthServer server = AuthServer.start(config)) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      String device = deviceCookie(login(server, EMAIL, PASSWORD));

      // Behind the same address (127.0.0.1 here), an attacker's wrong passwords for other accounts
      // lock the address for every browser without a device cookie...
      int perAddress = ThrottleSettings.defaults().ipThreshold();
      for (int i = 0; i < perAddress; i++) {
        assertThat(login(server, "user" + i + "@example.com", WRONG).statusCode()).isEqualTo(401);
      }
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(429);

      // ...but not the owner's browser, with the right password.
      HttpResponse<String> owner = loginWithDevice(server, device, PASSWORD);
      assertThat(owner.statusCode()).as(owner.body()).isEqualTo(200);
      String renewed = deviceCookie(owner);

      // The device's own failures still lock that device, after its own threshold.
      int perDevice = ThrottleSettings.defaults().deviceThreshold();
      for (int i = 0; i < perDevice; i++) {
        assertThat(loginWithDevice(server, renewed, WRONG).statusCode()).isEqualTo(401);
      }
      HttpResponse<String> locked = loginWithDevice(server, renewed, PASSWORD);
      assertThat(locked.statusCode()).isEqualTo(429);
      assertThat(locked.headers().firstValue("Retry-After")).contains("1");
    }
  }
}
