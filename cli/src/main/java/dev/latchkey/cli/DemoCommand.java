package dev.latchkey.cli;

import dev.latchkey.demo.DemoConfig;
import dev.latchkey.demo.DemoServer;
import dev.latchkey.server.AuthServer;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.tokens.TokenSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The whole system on embedded defaults: auth server, demo application server, demo user. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the auth server and the demo application server (serving the Angular client) on"
          + " embedded defaults: H2 and generated keys under the data folder.",
      "Creates the demo users student@example.com and admin@example.com (role admin) on"
          + " first start.",
      "Every option also reads the environment variable named in brackets."
    })
final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--auth-port",
      defaultValue = "9000",
      description = "Auth server port (LATCHKEY_AUTH_PORT). Default: ${DEFAULT-VALUE}.")
  int authPort;

  @Option(
      names = "--data-dir",
      defaultValue = "data",
      description =
          "Folder for the H2 database and the master key (LATCHKEY_DATA_DIR)."
              + " Default: ${DEFAULT-VALUE}.")
  Path dataDir;

  @Option(
      names = "--session-length",
      defaultValue = "2h",
      converter = DurationConverter.class,
      description =
          "How long a session token is valid (LATCHKEY_SESSION_LENGTH). Default: ${DEFAULT-VALUE}.")
  Duration sessionLength;

  @Option(
      names = "--demo-password",
      description =
          "Password of the demo user (LATCHKEY_DEMO_PASSWORD); generated and printed on first"
              + " start when not given.")
  String demoPassword;

  @Option(
      names = "--code-flow",
      defaultValue = "false",
      description =
          "The web client signs in with the OpenID Connect code flow and PKCE, as the public"
              + " client "
              + DemoClient.CLIENT_ID
              + " (registered on start), through the hosted login page; body delivery only"
              + " (LATCHKEY_CODE_FLOW). Default: ${DEFAULT-VALUE}.")
  boolean codeFlow;

  @Mixin AppServerOptions appServer;

  @Spec CommandSpec spec;

  @Mixin LogFormatOption logFormat;

  @Mixin AuditLogOption auditLog;

  /**
   * The auth server as the demo needs it: on localhost, signing for the demo's audience, sign-up
   * on, the demo server's origin allowed by CORS, and the hosted login page sending users back to
   * the client's callback route.
   */
  static AuthServerConfig forDemo(AuthServerConfig base, DemoConfig app, int authPort) {
    String appUrl = "http://localhost:" + app.port();
    return base.withHttp(new HttpSettings("localhost", authPort, List.of(appUrl), true))
        .withTokens(new TokenSettings("http://localhost:" + authPort, app.audience()))
        .withDelivery(
            base.delivery()
                .withMode(DeliveryMode.parse(app.delivery()))
                .withCookieName(app.cookieName())
                .withReturnToAllowList(List.of(appUrl + "/auth/callback"))
                .withDefaultReturnTo(appUrl + "/"));
  }

  /** The demo's auth server on the embedded store in {@code dataDir}. */
  static AuthServerConfig embeddedAuthConfig(
      DemoConfig app, int authPort, Path dataDir, Duration sessionLength) {
    AuthServerConfig defaults = AuthServerConfig.defaults();
    return forDemo(defaults, app, authPort)
        .withStore(StoreSettings.embedded(dataDir))
        .withSessions(defaults.sessions().withSessionLength(sessionLength))
        .withAccounts(
            defaults
                .accounts()
                .withMail(defaults.accounts().mail().withMailDir(dataDir.resolve("mail")))
                // the demo app's pages /verify-email and /reset-password
                .withPagesUrl("http://localhost:" + app.port()));
  }

  @Override
  public Integer call() throws Exception {
    if (codeFlow && !appServer.delivery.equals("body")) {
      // the access token comes from /token in the answer's body: there is no cookie to set
      throw new ParameterException(spec.commandLine(), "--code-flow needs --delivery body");
    }
    Logging.forServer(logFormat.format, auditLog.path);
    DemoConfig appConfig =
        codeFlow
            ? appServer.config().withCodeFlowClientId(DemoClient.CLIENT_ID)
            : appServer.config();
    try (Shutdown shutdown = new Shutdown();
        AuthServer auth =
            AuthServer.start(embeddedAuthConfig(appConfig, authPort, dataDir, sessionLength));
        DemoServer app = DemoServer.start(appConfig.withAuthUrl(URI.create(auth.baseUrl())))) {
      DemoUser.Credentials credentials =
          DemoUser.STUDENT.ensure(auth.store().users(), dataDir, demoPassword);
      DemoUser.Credentials admin = DemoUser.ADMIN.ensure(auth.store().users(), dataDir, null);
      if (codeFlow) {
        DemoClient.ensure(auth.store().oidcClients(), "http://localhost:" + appConfig.port());
      }
      System.out.printf(
          "%n  Latchkey demo is running%n%n"
              + "  Open the app:     %s%n"
              + "  Auth server:      %s (JWKS: %s)%n"
              + "  Demo user:        %s%n"
              + "  Password:         %s%n"
              + "  Admin user:       %s (role admin)%n"
              + "  Admin password:   %s%n"
              + "  Data folder:      %s%n%n"
              + "  Ctrl-C stops both servers.%n%n",
          app.baseUrl(),
          auth.baseUrl(),
          auth.jwksUrl(),
          DemoUser.STUDENT.email(),
          credentials.passwordNote(),
          DemoUser.ADMIN.email(),
          admin.passwordNote(),
          dataDir.toAbsolutePath().normalize());
      shutdown.awaitRequest();
      System.out.println("Stopping...");
    }
    return 0;
  }
}
