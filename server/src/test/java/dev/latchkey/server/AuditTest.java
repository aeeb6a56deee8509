package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.credentials;
import static dev.latchkey.server.TestHttp.idToken;
import static dev.latchkey.server.TestHttp.login;
import static dev.latchkey.server.TestHttp.postJson;
import static dev.latchkey.server.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.keys.KeyState;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.server.throttle.LoginThrottle;
import dev.latchkey.server.throttle.ThrottleSettings;
import dev.latchkey.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Audit events over real HTTP: one JSON object a line on the {@code latchkey.audit} logger,
 * captured by a Logback appender writing the lines as the audit file would hold them.
 */
class AuditTest {
  private static final String EMAIL = "ada@example.com";
  private static final String PASSWORD = "Secret-Passphrase-4711";
  private static final String WRONG = "Wrong-Passphrase-0815";
  private static final String COOKIE = "__Secure-latchkey-refresh";

  @TempDir Path tempDir;
  private final MutableClock clock = MutableClock.startingNow();
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private OutputStreamAppender<ILoggingEvent> appender;

  @BeforeEach
  void captureTheAuditLogger() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(written);
    appender.start();
    ((Logger) LoggerFactory.getLogger(Audit.LOGGER)).addAppender(appender);
  }

  @AfterEach
  void detach() {
    ((Logger) LoggerFactory.getLogger(Audit.LOGGER)).detachAppender(appender);
    appender.stop();
  }

  private List<JsonNode> lines() throws Exception {
    String text = written.toString(StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n");
    return text.lines()
        .map(
            line -> {
              try {
                return TestHttp.JSON.readTree(line);
              } catch (Exception e) {
                throw new AssertionError("not one JSON object: " + line, e);
              }
            })
        .toList();
  }

  private static List<JsonNode> events(List<JsonNode> lines, String event) {
    return lines.stream().filter(l -> l.get("event").asText().equals(event)).toList();
  }

  @Test
  void securityEventsAreJsonLinesWithoutSecrets() throws Exception {
    AuthServerConfig base = TestDatabase.quiet(TestDatabase.H2.freshConfig(tempDir));
    AuthServerConfig config =
        base.withClock(clock)
            .withSessions(
                base.sessions()
                    .withThrottle(ThrottleSettings.defaults().withThresholds(3, 1000))
                    .withRefresh(
                        RefreshSettings.on(
                                Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(8))
                            .withMinInterval(Duration.ZERO)));
    String token;
    String refreshToken;
    String userId;
    try (AuthServer server = AuthServer.start(config)) {
      userId = server.store().users().add(EMAIL, PASSWORD.toCharArray());

      HttpResponse<String> ok =
          postJson(server.loginUrl(), credentials(EMAIL, PASSWORD), "X-Forwarded-For", "1.2.3.4");
      assertThat(ok.statusCode()).isEqualTo(200);
      token = idToken(ok);
      refreshToken = cookie(ok, COOKIE);
      for (int i = 0; i < 3; i++) {
        assertThat(login(server, "  Ada@Example.com", WRONG).statusCode()).isEqualTo(401);
      }
      assertThat(login(server, "  Ada@Example.com", WRONG).statusCode()).isEqualTo(429);

      assertThat(server.store().throttle().unlockAccount(EMAIL, "operator")).isTrue();

      // a spent refresh token presented after the grace: theft, the family is revoked
      String next = cookie(refresh(server, refreshToken), COOKIE);
      cookie(refresh(server, next), COOKIE); // the family is used on
      clock.advance(Duration.ofSeconds(11));
      assertThat(refresh(server, refreshToken).statusCode()).isEqualTo(401);

      String second = idToken(login(server, EMAIL, PASSWORD));
      HttpResponse<String> logout =
          send(
              HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/logout"))
                  .header("Authorization", "Bearer " + second)
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build());
      assertThat(logout.statusCode()).isEqualTo(204);

      server.store().keys().rotate(); // publishes the next key
      server.store().keys().rotateImmediately(); // which signs at once; the active one retires
      String retired =
          server.store().keys().list().stream()
              .filter(k -> k.state() == KeyState.RETIRED)
              .findFirst()
              .orElseThrow()
              .kid();
      server.store().keys().revoke(retired);
      server.store().users().setPassword(EMAIL, "Another-Passphrase-2024".toCharArray());
      server.store().users().disable(EMAIL);
      server.store().sessionRevocation().revokeAllForUser(EMAIL);
    }

    List<JsonNode> lines = lines();
    for (JsonNode line : lines) {
      assertThat(Instant.parse(line.get("time").asText())).isNotNull();
      assertThat(line.get("time").asText()).endsWith("Z");
    }

    JsonNode created = events(lines, "user_created").get(0);
    assertThat(created.get("user_id").asText()).isEqualTo(userId);
    assertThat(created.get("email").asText()).isEqualTo(EMAIL);
    assertThat(created.get("via").asText()).isEqualTo("operator");

    JsonNode succeeded = events(lines, "login_succeeded").get(0);
    assertThat(succeeded.get("user_id").asText()).isEqualTo(userId);
    assertThat(succeeded.get("client").asText()).isEqualTo("127.0.0.1"); // proxy not trusted
    assertThat(succeeded.get("device_cookie").asBoolean()).isFalse();
    assertThat(succeeded.get("sid").asText()).isNotEmpty();

    List<JsonNode> failed = events(lines, "login_failed");
    assertThat(failed).hasSize(3);
    assertThat(failed.get(0).get("email").asText()).isEqualTo(EMAIL); // normalised
    assertThat(failed.get(0).get("reason").asText()).isEqualTo("invalid_credentials");
    assertThat(failed.get(0).get("client").asText()).isEqualTo("127.0.0.1");

    JsonNode lock = events(lines, "lock_started").get(0);
    assertThat(lock.get("counter").asText()).isEqualTo("account");
    assertThat(lock.get("email").asText()).isEqualTo(EMAIL);
    assertThat(lock.get("client").asText()).isEqualTo("127.0.0.1");
    assertThat(lock.get("locked_for_seconds").asLong()).isPositive();

    JsonNode throttled = events(lines, "login_throttled").get(0);
    assertThat(throttled.get("email").asText()).isEqualTo(EMAIL);
    assertThat(throttled.get("retry_after_seconds").asLong()).isPositive();

    JsonNode cleared = events(lines, "lock_cleared").get(0);
    assertThat(cleared.get("email").asText()).isEqualTo(EMAIL);
    assertThat(cleared.get("by").asText()).isEqualTo("operator");

    assertThat(events(lines, "refresh_reuse_detected").get(0).get("sid").asText())
        .isEqualTo(succeeded.get("sid").asText());

    JsonNode logout = events(lines, "logout").get(0);
    assertThat(logout.get("user_id").asText()).isEqualTo(userId);

    List<JsonNode> keysCreated = events(lines, "key_created");
    assertThat(keysCreated).hasSize(2);
    assertThat(keysCreated.get(0).get("state").asText()).isEqualTo("active");
    assertThat(keysCreated.get(1).get("state").asText()).isEqualTo("next");
    String first = keysCreated.get(0).get("kid").asText();
    assertThat(events(lines, "key_activated").get(0).get("kid").asText())
        .isEqualTo(keysCreated.get(1).get("kid").asText());
    assertThat(events(lines, "key_retired").get(0).get("kid").asText()).isEqualTo(first);
    assertThat(events(lines, "key_revoked").get(0).get("kid").asText()).isEqualTo(first);

    JsonNode changed = events(lines, "password_changed").get(0);
    assertThat(changed.get("user_id").asText()).isEqualTo(userId);
    assertThat(changed.get("reason").asText()).isEqualTo("operator");
    assertThat(events(lines, "user_disabled").get(0).get("email").asText()).isEqualTo(EMAIL);
    // the operator's password set and the disable each end the user's sessions, then the admin's
    List<JsonNode> revoked = events(lines, "sessions_revoked");
    assertThat(revoked).extracting(e -> e.get("user_id").asText()).containsOnly(userId);
    assertThat(revoked)
        .extracting(e -> e.get("reason").asText())
        .containsExactly("password_set", "user_disabled", "admin");

    String all = written.toString(StandardCharsets.UTF_8);
    assertThat(all)
        .doesNotContain(PASSWORD, WRONG, "Another-Passphrase-2024", token, refreshToken)
        .doesNotContain(token.split("\\.")[2])
        .doesNotContainPattern("[A-Za-z0-9+/=_-]{100,}"); // no key material, no token
  }

  @Test
  void theThrottleWarningNamesTheAccountAsTypedAndTheAddress() {
    Logger throttleLog = (Logger) LoggerFactory.getLogger(LoginThrottle.class);
    ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    warnings.start();
    throttleLog.addAppender(warnings);
    AuthServerConfig base = TestDatabase.quiet(TestDatabase.H2.freshConfig(tempDir));
    AuthServerConfig config =
        base.withClock(clock)
            .withSessions(
                base.sessions().withThrottle(ThrottleSettings.defaults().withThresholds(2, 1000)));
    try (AuthServer server = AuthServer.start(config)) {
      for (int i = 0; i < 2; i++) {
        assertThat(login(server, "Bob@Example.com", WRONG).statusCode()).isEqualTo(401);
      }
    } finally {
      throttleLog.detachAppender(warnings);
    }
    assertThat(warnings.list).hasSize(1);
    assertThat(warnings.list.get(0).getFormattedMessage())
        .contains("account counter")
        .contains("\"bob@example.com\"")
        .contains("address 127.0.0.1")
        .doesNotContain(WRONG);
  }

  private static HttpResponse<String> refresh(AuthServer server, String refreshToken) {
    return send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/refresh"))
            .header("Cookie", COOKIE + "=" + refreshToken)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  private static String cookie(HttpResponse<String> r, String name) {
    String cookie =
        r.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith(name + "="))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + name + " cookie: " + r.headers()));
    return cookie.substring(name.length() + 1, cookie.indexOf(';'));
  }
}
