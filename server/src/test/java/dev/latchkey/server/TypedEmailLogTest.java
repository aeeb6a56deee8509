package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.login;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.throttle.LoginThrottle;
import dev.latchkey.server.throttle.ThrottleSettings;
import dev.latchkey.server.throttle.TypedEmail;
import dev.latchkey.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The email field comes from the request: the audit records and the throttle's warnings name the
 * normalised address when it is one, else a short hash of what was typed, never the text itself (it
 * may forge log lines, or be a password typed into the wrong field).
 */
class TypedEmailLogTest {
  private static final String FORGED = "x\n{\"event\":\"login_succeeded\",\"user_id\":\"forged\"}";
  private static final String PASSWORD_IN_EMAIL_FIELD = "Secret-Passphrase-4711";
  private static final String WRONG = "Wrong-Passphrase-0815";

  @TempDir Path tempDir;
  private final MutableClock clock = MutableClock.startingNow();
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private final List<Logger> captured =
      List.of(
          (Logger) LoggerFactory.getLogger(Audit.LOGGER),
          (Logger) LoggerFactory.getLogger(LoginThrottle.class));
  private OutputStreamAppender<ILoggingEvent> appender;

  @BeforeEach
  void capture() {
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
    captured.forEach(logger -> logger.addAppender(appender));
  }

  @AfterEach
  void detach() {
    captured.forEach(logger -> logger.detachAppender(appender));
    appender.stop();
  }

  @Test
  void logsNameTheNormalisedAddressOrAHashOfWhatWasTypedNeverTheText() {
    AuthServerConfig base = TestDatabase.quiet(TestDatabase.H2.freshConfig(tempDir));
    AuthServerConfig config =
        base.withClock(clock)
            .withSessions(
                base.sessions().withThrottle(ThrottleSettings.defaults().withThresholds(2, 1000)));
    try (AuthServer server = AuthServer.start(config)) {
      for (String typed : List.of(FORGED, PASSWORD_IN_EMAIL_FIELD, " Bob@Example.COM")) {
        assertThat(login(server, typed, WRONG).statusCode()).isEqualTo(401);
        assertThat(login(server, typed, WRONG).statusCode()).isEqualTo(401); // locks the account
        assertThat(login(server, typed, WRONG).statusCode()).isEqualTo(429);
      }
    }

    String log = written.toString(StandardCharsets.UTF_8);
    assertThat(log)
        .doesNotContain("forged", PASSWORD_IN_EMAIL_FIELD, "Bob@Example")
        .contains(TypedEmail.of(FORGED), TypedEmail.of(PASSWORD_IN_EMAIL_FIELD))
        .contains("\"bob@example.com\"");
    // login_failed x2, lock_started, login_throttled and the throttle's warning, for each of three
    assertThat(log.lines().filter(line -> !line.contains("\"key_created\""))).hasSize(15);
    assertThat(TypedEmail.of(FORGED)).matches("unparsed:[A-Za-z0-9_-]{8}");
    assertThat(TypedEmail.of(PASSWORD_IN_EMAIL_FIELD))
        .matches("unparsed:[A-Za-z0-9_-]{8}")
        .isNotEqualTo(TypedEmail.of(FORGED));
  }
}
