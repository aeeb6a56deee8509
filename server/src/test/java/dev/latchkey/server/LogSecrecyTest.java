package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Nothing in the logs ever contains a password, a private key or a full token. */
class LogSecrecyTest {
  @TempDir Path tempDir;

  @Test
  void logsNeverContainPasswordsKeysOrTokens() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root.addAppender(appender);
    String password = "Secret-Passphrase-4711";
    String token;
    String masterKey = dev.latchkey.server.keys.MasterKey.generateBase64();
    AuthServerConfig config = TestDatabase.H2.freshConfig(tempDir);
    try (AuthServer server =
        AuthServer.start(
            config
                .withStore(config.store().withMasterKey(masterKey))
                .withHttp(config.http().withSignupEnabled(true))
                .withAccounts(config.accounts().withRequireVerifiedEmail(false))
                .withHashing(
                    config
                        .hashing()
                        .withParams(new dev.latchkey.server.users.Argon2Params(512, 1, 1))))) {
      TestHttp.postJson(
          server.baseUrl() + "/api/signup", TestHttp.credentials("a@example.com", password));
      token = TestHttp.idToken(TestHttp.login(server, "a@example.com", password));
      TestHttp.login(server, "a@example.com", password + "x");
      server.store().keys().rotate();
      server.store().keys().revoke(AuthServerTest.activeKid(server));
    } finally {
      root.detachAppender(appender);
    }
    String logs =
        String.join(
            "\n",
            appender.list.stream()
                .map(e -> e.getFormattedMessage() + " " + String.valueOf(e.getThrowableProxy()))
                .toList());
    assertThat(logs).contains("Signing keys:");
    assertThat(logs).doesNotContain(password, token, token.split("\\.")[2], masterKey, "BEGIN");
    // No key material of any encoding: a DER key in base64 is over a thousand characters, where
    // the longest legitimate run in these logs, a kid, is 43.
    assertThat(logs).doesNotContainPattern("[A-Za-z0-9+/=_-]{100,}");
  }
}
