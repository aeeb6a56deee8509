package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.credentials;
import static dev.latchkey.server.TestHttp.json;
import static dev.latchkey.server.TestHttp.login;
import static dev.latchkey.server.TestHttp.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.throttle.ThrottleSettings;
import dev.latchkey.testing.MutableClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Brute-force throttling over real HTTP, with an injected clock, on H2 and PostgreSQL. */
class ThrottleTest {
  private static final String EMAIL = "ada@example.com";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String WRONG = "not the password at all";

  @RegisterExtension final ClockedServers servers = new ClockedServers();
  private final MutableClock clock = servers.clock();

  private AuthServer start(TestDatabase db, UnaryOperator<AuthServerConfig> custom) {
    return servers.start(db, custom);
  }

  private static HttpResponse<String> loginFrom(
      AuthServer server, String forwardedFor, String email, String password) {
    return postJson(
        server.loginUrl(), credentials(email, password), "X-Forwarded-For", forwardedFor);
  }

  private static void assertLocked(HttpResponse<String> r, long seconds) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
    assertThat(r.headers().firstValue("Retry-After")).contains(Long.toString(seconds));
    JsonNode body = json(r);
    assertThat(body.get("error").asText()).isEqualTo("too_many_attempts");
    assertThat(body.get("retryAfter").asLong()).isEqualTo(seconds);
    assertThat(body.get("message").asText()).doesNotContain("@", "account", "address");
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void accountLocksAfterThresholdDoublingToTheCapWithoutHashingAndSuccessResets(TestDatabase db) {
    try (AuthServer server =
        start(
            db,
            c ->
                c.withSessions(
                    c.sessions()
                        .withThrottle(ThrottleSettings.defaults().withThresholds(5, 1000))))) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      for (int i = 0; i < 5; i++) {
        assertThat(login(server, EMAIL, WRONG).statusCode()).isEqualTo(401);
      }
      // Locked now, even for the right password (the email's case does not matter), and the
      // refused attempts never reach the hashing pool.
      long hashed = server.hashingPool().submitted();
      assertLocked(login(server, EMAIL, PASSWORD), 1);
      assertLocked(login(server, " ADA@example.COM", PASSWORD), 1);
      assertThat(server.hashingPool().submitted()).isEqualTo(hashed);

      // Each failure after a lock doubles the next lock, up to the 15 min cap.
      long[] expected = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900};
      for (int i = 0; i < expected.length - 1; i++) {
        clock.advance(Duration.ofMillis(expected[i] * 1000 - 500));
        assertLocked(login(server, EMAIL, WRONG), 1); // half a second left, rounded up
        clock.advance(Duration.ofMillis(500));
        assertThat(login(server, EMAIL, WRONG).statusCode()).isEqualTo(401);
        assertLocked(login(server, EMAIL, PASSWORD), expected[i + 1]);
      }

      // Every lock ends; a success resets the account counter.
      clock.advance(Duration.ofSeconds(900));
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(200);
      for (int i = 0; i < 4; i++) {
        assertThat(login(server, EMAIL, WRONG).statusCode()).isEqualTo(401);
      }
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void failuresAreForgottenAfterTheWindowAndUnknownEmailsCountToo(TestDatabase db) {
    try (AuthServer server = start(db, c -> c)) {
      for (int i = 0; i < 4; i++) {
        assertThat(login(server, "nobody@example.com", WRONG).statusCode()).isEqualTo(401);
      }
      clock.advance(Duration.ofMinutes(16));
      for (int i = 0; i < 4; i++) {
        assertThat(login(server, "nobody@example.com", WRONG).statusCode()).isEqualTo(401);
      }
      assertThat(login(server, "nobody@example.com", WRONG).statusCode()).isEqualTo(401);
      assertLocked(login(server, "nobody@example.com", WRONG), 1);
      assertThat(server.store().throttle().purgeExpired()).isZero();
      clock.advance(Duration.ofMinutes(16));
      assertThat(server.store().throttle().purgeExpired()).isEqualTo(2); // account + address
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void addressCounterBehindATrustedProxyIsSeparateFromTheAccountCounter(TestDatabase db) {
    try (AuthServer server =
        start(db, c -> c.withSessions(c.sessions().withTrustedProxies(List.of("127.0.0.0/8"))))) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      String attacker = "203.0.113.7";
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> r = loginFrom(server, attacker, "user" + i + "@example.com", WRONG);
        assertThat(r.statusCode()).isEqualTo(401);
      }
      // The attacker's address is locked for every account, even with the right password...
      assertLocked(loginFrom(server, "10.9.9.9, " + attacker, EMAIL, PASSWORD), 1);
      // ...while the same accounts from another address are not.
      assertThat(loginFrom(server, "198.51.100.9", "user1@example.com", WRONG).statusCode())
          .isEqualTo(401);
      assertThat(loginFrom(server, "198.51.100.9", EMAIL, PASSWORD).statusCode()).isEqualTo(200);
      // A success does not reset an address counter.
      clock.advance(Duration.ofSeconds(1));
      assertThat(loginFrom(server, attacker, EMAIL, PASSWORD).statusCode()).isEqualTo(200);
      assertThat(loginFrom(server, attacker, "x@example.com", WRONG).statusCode()).isEqualTo(401);
      assertLocked(loginFrom(server, attacker, "y@example.com", WRONG), 2);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void forwardedForIsIgnoredWithoutATrustedProxyAndThrottlingCanBeTurnedOff(TestDatabase db) {
    try (AuthServer server = start(db, c -> c)) {
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> r =
            loginFrom(server, "198.51.100." + i, "user" + i + "@example.com", WRONG);
        assertThat(r.statusCode()).isEqualTo(401);
      }
      assertLocked(loginFrom(server, "198.51.100.99", "fresh@example.com", WRONG), 1);
    }
    try (AuthServer server =
        start(db, c -> c.withSessions(c.sessions().withThrottle(ThrottleSettings.off())))) {
      for (int i = 0; i < 8; i++) {
        assertThat(login(server, EMAIL, WRONG).statusCode()).isEqualTo(401);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void fortyConcurrentWrongPasswordsGetAtMostTheThresholdOfHashes(TestDatabase db)
      throws Exception {
    try (AuthServer server = start(db, c -> c)) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      long hashedBefore = server.hashingPool().submitted();
      Map<Integer, Integer> statuses = new TreeMap<>();
      for (HttpResponse<String> r : allAtOnce(40, () -> login(server, EMAIL, WRONG))) {
        statuses.merge(r.statusCode(), 1, Integer::sum);
        if (r.statusCode() == 429) {
          assertThat(r.headers().firstValue("Retry-After")).isPresent();
        }
      }
      System.out.println("40 concurrent wrong passwords on " + db + ": " + statuses);
      int threshold = ThrottleSettings.defaults().accountThreshold();
      // The row locks let at most the threshold through to a 401 and refuse the others with a 429;
      // on a loaded machine some may get a 503 instead (no database connection within 2 s), but
      // a burst answered only with 503s proves nothing: some 401s and some 429s are required.
      assertThat(statuses.keySet()).isSubsetOf(401, 429, 503);
      assertThat(statuses.getOrDefault(401, 0)).isBetween(1, threshold);
      assertThat(statuses.getOrDefault(429, 0)).isPositive();
      assertThat(server.hashingPool().submitted() - hashedBefore).isLessThanOrEqualTo(threshold);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void concurrentWrongCurrentPasswordsAtAChangeGetAtMostTheThresholdOfHashes(TestDatabase db)
      throws Exception {
    try (AuthServer server = start(db, c -> c)) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      String token = TestHttp.idToken(login(server, EMAIL, PASSWORD));
      String change =
          TestHttp.JSON.writeValueAsString(
              Map.of("currentPassword", WRONG, "newPassword", "a brand new passphrase here"));
      long hashedBefore = server.hashingPool().submitted();
      Map<Integer, Integer> statuses = new TreeMap<>();
      List<HttpResponse<String>> answers =
          allAtOnce(
              20,
              () ->
                  postJson(
                      server.baseUrl() + "/api/password",
                      change,
                      "Authorization",
                      "Bearer " + token));
      for (HttpResponse<String> r : answers) {
        statuses.merge(r.statusCode(), 1, Integer::sum);
        if (r.statusCode() == 429) {
          assertThat(json(r).get("error").asText()).isEqualTo("too_many_attempts");
          assertThat(r.headers().firstValue("Retry-After")).isPresent();
        } else {
          assertThat(json(r).get("error").asText()).isEqualTo("wrong_password");
        }
      }
      int threshold = ThrottleSettings.defaults().accountThreshold();
      assertThat(statuses.getOrDefault(403, 0)).isBetween(1, threshold);
      assertThat(statuses.keySet()).isSubsetOf(403, 429);
      assertThat(server.hashingPool().submitted() - hashedBefore)
          .isEqualTo(statuses.get(403).longValue());
      // The account's counter is the login's: a new browser's login waits too.
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(429);
    }
  }

  /** Sends {@code n} requests released at the same instant; their answers. */
  private static List<HttpResponse<String>> allAtOnce(int n, Callable<HttpResponse<String>> request)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<HttpResponse<String>>> pending = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        pending.add(
            pool.submit(
                () -> {
                  go.await();
                  return request.call();
                }));
      }
      go.countDown();
      List<HttpResponse<String>> answers = new ArrayList<>();
      for (Future<HttpResponse<String>> answer : pending) {
        answers.add(answer.get(60, TimeUnit.SECONDS));
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  private static String deviceCookie(HttpResponse<String> login) {
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    String cookie =
        login.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("__Host-latchkey-device="))
            .findFirst()
            .orElseThrow();
    assertThat(cookie).contains("HttpOnly", "Secure", "SameSite=Strict", "Path=/");
    assertThat(cookie).doesNotContain("Domain");
    return cookie.substring(0, cookie.indexOf(';'));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aDeviceThatLoggedInBeforeIsNotLockedOutByABurstFromElsewhere(TestDatabase db) {
    try (AuthServer server = start(db, c -> c)) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      String device = deviceCookie(login(server, EMAIL, PASSWORD));

      // An attacker elsewhere locks the account for browsers without a device cookie.
      for (int i = 0; i < 8; i++) {
        login(server, EMAIL, WRONG);
      }
      assertLocked(login(server, EMAIL, PASSWORD), 1); // a new browser waits
      // A device cookie of another account, or a forged one, is no device cookie.
      String forged = device.substring(0, device.length() - 2) + "AA";
      assertThat(postJson(server.loginUrl(), credentials(EMAIL, PASSWORD), "Cookie", forged))
          .extracting(HttpResponse::statusCode)
          .isEqualTo(429);

      // The owner's browser still logs in with the right password...
      HttpResponse<String> owner =
          postJson(server.loginUrl(), credentials(EMAIL, PASSWORD), "Cookie", device);
      String renewed = deviceCookie(owner);

      // ...and its own wrong passwords lock only that device, after its smaller threshold.
      int perDevice = ThrottleSettings.defaults().deviceThreshold();
      for (int i = 0; i < perDevice; i++) {
        assertThat(
                postJson(server.loginUrl(), credentials(EMAIL, WRONG), "Cookie", renewed)
                    .statusCode())
            .isEqualTo(401);
      }
      assertLocked(postJson(server.loginUrl(), credentials(EMAIL, PASSWORD), "Cookie", renewed), 1);

      // The operator's unlock clears the account's lock.
      assertThat(server.store().throttle().unlockAccount(EMAIL, "operator")).isTrue();
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(200);
    }
  }
}
