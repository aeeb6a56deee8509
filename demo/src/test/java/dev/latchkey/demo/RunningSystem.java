package dev.latchkey.demo;

import dev.latchkey.server.AuthServer;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.testing.FreePort;
import dev.latchkey.testing.RevocationBound;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The whole system as {@code ./latchkey demo} starts it: a real auth server on an H2 file database
 * and the demo server fetching its keys, both on free loopback ports.
 */
final class RunningSystem implements AutoCloseable {

  static final String EMAIL = "student@example.com";
  static final String PASSWORD = "correct horse battery staple";

  /** The demo's administrator (role admin), as {@code latchkey demo} creates it; same password. */
  static final String ADMIN_EMAIL = "admin@example.com";

  /**
   * Cheaper than OWASP's parameters so the suite stays fast; the server tests use the real ones.
   */
  private static final Argon2Params TEST_HASHING = new Argon2Params(1024, 1, 1);

  /**
   * Quick, so that tests see a revocation reach the application server within seconds: the demo
   * server polls the feed every second, and the feed's max-age (the auth server's revocation poll
   * interval) is a second.
   */
  static final RevocationBound REVOCATION =
      new RevocationBound(Duration.ofSeconds(1), Duration.ofSeconds(1));

  final AuthServer auth;
  final DemoServer app;

  private RunningSystem(AuthServer auth, DemoServer app) {
    this.auth = auth;
    this.app = app;
  }

  static RunningSystem start(Path dataDir, Duration sessionLength, String delivery) {
    return start(dataDir, sessionLength, delivery, config -> config);
  }

  static RunningSystem start(
      Path dataDir,
      Duration sessionLength,
      String delivery,
      UnaryOperator<AuthServerConfig> customise) {
    return start(dataDir, sessionLength, delivery, customise, null);
  }

  /**
   * With {@code codeFlowClientId}, the client signs in with the code flow as that public client,
   * registered as {@code latchkey demo --code-flow} registers it (DemoClient, in the cli module).
   */
  static RunningSystem start(
      Path dataDir,
      Duration sessionLength,
      String delivery,
      UnaryOperator<AuthServerConfig> customise,
      String codeFlowClientId) {
    FreePort.Reservation appPortHeld = FreePort.reserve(); // until the demo server binds it
    int appPort = appPortHeld.port();
    String appUrl = "http://localhost:" + appPort;
    // As `latchkey demo` configures it (DemoCommand.forDemo, in the cli module).
    AuthServerConfig defaults = AuthServerConfig.defaults();
    AuthServerConfig config =
        customise.apply(
            defaults
                .withHttp(new HttpSettings("localhost", 0, List.of(appUrl), true))
                .withStore(StoreSettings.embedded(dataDir))
                .withSessions(
                    defaults
                        .sessions()
                        .withSessionLength(sessionLength)
                        .withRevocationPollInterval(REVOCATION.feedMaxAge()))
                .withHashing(defaults.hashing().withParams(TEST_HASHING))
                // mails as .eml files, linking to the app's pages, as `latchkey demo` does
                .withAccounts(
                    defaults
                        .accounts()
                        .withMail(defaults.accounts().mail().withMailDir(mailDir(dataDir)))
                        .withPagesUrl(appUrl))
                .withDelivery(
                    defaults
                        .delivery()
                        .withMode(DeliveryMode.parse(delivery))
                        .withReturnToAllowList(List.of(appUrl + "/auth/callback"))
                        .withDefaultReturnTo(appUrl + "/")));
    AuthServer auth;
    try {
      auth = AuthServer.start(config);
    } catch (RuntimeException e) {
      appPortHeld.close();
      throw e;
    }
    try {
      auth.store().users().add(EMAIL, PASSWORD.toCharArray());
      auth.store().users().add(ADMIN_EMAIL, PASSWORD.toCharArray(), List.of("admin"));
      if (codeFlowClientId != null) {
        auth.store()
            .oidcClients()
            .add(codeFlowClientId, List.of(appUrl + "/auth/code"), null, List.of(appUrl + "/"));
      }
      appPortHeld.close();
      DemoServer app =
          DemoServer.start(
              DemoConfig.defaults()
                  .withPort(appPort)
                  .withAuthUrl(URI.create(auth.baseUrl()))
                  .withDelivery(delivery)
                  .withSignupEnabled(true)
                  .withRevocationPollInterval(REVOCATION.pollInterval())
                  .withCodeFlowClientId(codeFlowClientId));
      return new RunningSystem(auth, app);
    } catch (RuntimeException e) {
      appPortHeld.close();
      auth.close();
      throw e;
    }
  }

  /** Where the auth server writes its mails ({@code .eml} files). */
  static Path mailDir(Path dataDir) {
    return dataDir.resolve("mail");
  }

  @Override
  public void close() {
    app.close();
    auth.close();
  }
}
