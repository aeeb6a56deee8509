package dev.latchkey.cli;

import dev.latchkey.demo.DemoConfig;
import dev.latchkey.demo.DemoServer;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the demo application server alone, against an auth server that runs elsewhere. */
@Command(
    name = "app",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the demo application server: the Angular client and GET /api/lessons behind the"
          + " verifier, with keys from the auth server's JWKS URL.",
      "Every option also reads the environment variable named in brackets."
    })
final class AppCommand implements Callable<Integer> {

  @Option(
      names = {"--host", "--app-host"},
      defaultValue = DemoConfig.DEFAULT_HOST,
      description =
          "Address to listen on (LATCHKEY_APP_HOST): localhost for a reverse proxy on this machine;"
              + " 0.0.0.0 or an internal interface's address for one on another."
              + " Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(
      names = "--auth-url",
      defaultValue = DemoConfig.DEFAULT_AUTH_URL,
      description =
          "Base URL of the auth server: the issuer, and where the client logs in"
              + " (LATCHKEY_AUTH_URL). Default: ${DEFAULT-VALUE}.")
  URI authUrl;

  @Option(
      names = "--audience",
      defaultValue = DemoConfig.DEFAULT_AUDIENCE,
      description =
          "Audience that tokens must carry (LATCHKEY_AUDIENCE). Default: ${DEFAULT-VALUE}.")
  String audience;

  @Option(
      names = "--revocation-poll-interval",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "How often the auth server's revocation feed is read: a logout closes the API within"
              + " this plus the feed's max-age (LATCHKEY_REVOCATION_POLL_INTERVAL)."
              + " Default: ${DEFAULT-VALUE}.")
  Duration revocationPollInterval;

  @Option(
      names = "--metrics-port",
      description =
          "Serve GET /metrics on this port of localhost only, not on the application's port"
              + " (LATCHKEY_METRICS_PORT). Default: on the application's port.")
  Integer metricsPort;

  @Mixin AppServerOptions appServer;

  @Mixin LogFormatOption logFormat;

  @Override
  public Integer call() throws Exception {
    Logging.forServer(logFormat.format, null);
    DemoConfig config =
        appServer
            .config()
            .withHost(host)
            .withAuthUrl(authUrl)
            .withAudience(audience)
            .withRevocationPollInterval(revocationPollInterval)
            .withMetricsPort(metricsPort);
    try (Shutdown shutdown = new Shutdown();
        DemoServer app = DemoServer.start(config)) {
      System.out.printf("Demo application server: %s (Ctrl-C stops it)%n", app.baseUrl());
      shutdown.awaitRequest();
    }
    return 0;
  }
}
