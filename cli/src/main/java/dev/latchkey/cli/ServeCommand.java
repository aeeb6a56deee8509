package dev.latchkey.cli;

import dev.latchkey.server.AuthServer;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.AuthStore;
import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.server.keys.KeySettings;
import dev.latchkey.server.policy.PolicyRequest;
import dev.latchkey.server.users.HashingSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the auth server. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the auth server: login, sign-up, hosted login page, refresh, JWKS and discovery,"
          + " key rotation, revocation feed.",
      "Every option also reads the environment variable named in brackets."
    })
final class ServeCommand implements Callable<Integer> {

  @Mixin StoreOptions store;

  @Mixin DeliveryOptions delivery;

  @Mixin SessionOptions sessions;

  @Mixin AccountOptions accounts;

  @Mixin LogFormatOption logFormat;

  @Mixin AuditLogOption auditLog;

  @Option(
      names = "--host",
      defaultValue = "0.0.0.0",
      description = "Address to listen on (LATCHKEY_HOST). Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(
      names = {"--port", "--auth-port"},
      defaultValue = "9000",
      description = "HTTP port (LATCHKEY_AUTH_PORT). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--metrics-port",
      defaultValue = "9464",
      description =
          "The port of the metrics server, the only place GET /metrics is served: never on the"
              + " public port (LATCHKEY_METRICS_PORT). Default: ${DEFAULT-VALUE}.")
  Integer metricsPort;

  @Option(
      names = "--metrics-host",
      defaultValue = "127.0.0.1",
      description =
          "The address the metrics server listens on (LATCHKEY_METRICS_HOST); loopback by default"
              + " so only this machine can scrape it. 0.0.0.0 (or an internal interface's"
              + " address) exposes it to a Prometheus elsewhere. Default: ${DEFAULT-VALUE}.")
  String metricsHost;

  @Option(
      names = "--issuer",
      description =
          "The iss claim (LATCHKEY_ISSUER); part of the stored key policy."
              + " Default: the stored policy's, else the public URL.")
  String issuer;

  @Option(
      names = "--public-url",
      description =
          "The URL browsers and verifiers reach this server at, e.g. behind a reverse proxy"
              + " https://auth.example.com (LATCHKEY_PUBLIC_URL); every published URL (discovery's"
              + " jwks_uri, the hosted page's form and redirects) starts with it."
              + " Default: the issuer when it is an http(s) URL, else http://<host>:<port>.")
  String publicUrl;

  @Option(
      names = "--rp-id",
      description =
          "The passkeys' relying-party ID (LATCHKEY_RP_ID): the public URL's host or a parent"
              + " domain of it, e.g. example.com for passkeys that also work on app.example.com."
              + " Passkeys are registered for it: changing it strands them. Origins allowed in a"
              + " ceremony: the public URL's and the --cors-origin ones."
              + " Default: the public URL's host.")
  String rpId;

  @Option(
      names = "--audience",
      description =
          "The aud claim (LATCHKEY_AUDIENCE); part of the stored key policy."
              + " Default: the stored policy's, else latchkey-demo.")
  String audience;

  @Option(
      names = "--token-type",
      defaultValue = "at+jwt",
      description =
          "The typ header of session tokens, at+jwt or JWT (LATCHKEY_TOKEN_TYPE): JWT for"
              + " verifiers that accept only that, such as Spring Boot's issuer-uri alone."
              + " Default: ${DEFAULT-VALUE}.")
  String tokenType;

  @Option(
      names = "--session-length",
      converter = DurationConverter.class,
      description =
          "Session token lifetime, which decides how long a retired key stays published"
              + " (LATCHKEY_SESSION_LENGTH); part of the stored key policy."
              + " Default: the stored policy's, else 2h.")
  Duration sessionLength;

  @Option(
      names = "--algorithm",
      description =
          "Signing algorithm of new keys: RS256, PS256 or ES256 (LATCHKEY_ALGORITHM); part of the"
              + " stored key policy. Default: the stored policy's, else RS256.")
  String algorithm;

  @Option(
      names = "--rotation-period",
      converter = DurationConverter.class,
      description =
          "How long a key signs before the next takes over (LATCHKEY_ROTATION_PERIOD); part of"
              + " the stored key policy. Default: the stored policy's, else 30d.")
  Duration rotationPeriod;

  @Option(
      names = "--jwks-max-age",
      converter = DurationConverter.class,
      description =
          "How long verifiers may cache the JWK Set; a next key is published at least this long"
              + " before it signs (LATCHKEY_JWKS_MAX_AGE); part of the stored key policy."
              + " Default: the stored policy's, else 1h.")
  Duration jwksMaxAge;

  @Option(
      names = "--clock-skew",
      defaultValue = "1m",
      converter = DurationConverter.class,
      description =
          "Kept after a retired key's last token expires (LATCHKEY_CLOCK_SKEW)."
              + " Default: ${DEFAULT-VALUE}.")
  Duration clockSkew;

  @Option(
      names = "--hash-threads",
      description = "Threads that hash passwords (LATCHKEY_HASH_THREADS). Default: one per core.")
  Integer hashThreads;

  @Option(
      names = "--hash-queue",
      defaultValue = "64",
      description =
          "Logins that may wait for a hashing thread before getting 503 (LATCHKEY_HASH_QUEUE)."
              + " Default: ${DEFAULT-VALUE}.")
  int hashQueue;

  @Option(
      names = "--hash-max-wait",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description =
          "How long a login may wait for a hashing thread before getting 503"
              + " (LATCHKEY_HASH_MAX_WAIT). Default: ${DEFAULT-VALUE}.")
  Duration hashMaxWait;

  @Option(
      names = "--cors-origin",
      split = ",",
      description =
          "Origin allowed to call the API from a browser, repeatable; no wildcard"
              + " (LATCHKEY_CORS_ORIGIN, comma-separated).")
  List<String> corsOrigins = List.of();

  @Option(
      names = "--signup",
      defaultValue = "false",
      fallbackValue = "true",
      arity = "0..1",
      description = "Enable POST /api/signup (LATCHKEY_SIGNUP). Default: ${DEFAULT-VALUE}.")
  boolean signup;

  @Option(
      names = DemoDefaultsGuard.OVERRIDE,
      defaultValue = "false",
      fallbackValue = "true",
      arity = "0..1",
      description =
          "Start on a non-loopback --host even with the demo audience or a localhost issuer"
              + " (LATCHKEY_ALLOW_DEMO_DEFAULTS). Default: ${DEFAULT-VALUE}.")
  boolean allowDemoDefaults;

  @Override
  public Integer call() throws Exception {
    Logging.forServer(logFormat.format, auditLog.path);
    AuthServerConfig config = config();
    if (!allowDemoDefaults && !DemoDefaultsGuard.isLoopback(host)) {
      // the guard judges what the server will sign for: the flags over the stored policy
      AuthServerConfig effective;
      try (AuthStore peek = AuthStore.openForOperator(config)) {
        effective = config.withKeyPolicy(policyRequest().over(peek.config().keyPolicy()));
      }
      DemoDefaultsGuard.check(
          host,
          effective.tokens().issuer(),
          port,
          effective.tokens().audience(),
          allowDemoDefaults);
    }
    try (Shutdown shutdown = new Shutdown();
        AuthServer server = AuthServer.start(config, policyRequest())) {
      System.out.printf(
          "Auth server: %s (public URL %s)%n  login:     POST %s/api/login%n  JWKS:      %s%n"
              + "  discovery: %s%nCtrl-C stops it.%n",
          server.baseUrl(),
          server.publicUrl(),
          server.publicUrl(),
          server.publicUrl() + "/.well-known/jwks.json",
          server.publicUrl() + "/.well-known/openid-configuration");
      shutdown.awaitRequest();
    }
    return 0;
  }

  /**
   * The auth server's settings from the parsed options, without starting anything.
   *
   * @throws IllegalArgumentException for a value the server refuses (one line for the operator)
   */
  AuthServerConfig config() throws IOException {
    AuthServerConfig defaults = AuthServerConfig.defaults();
    KeySettings keys = defaults.keys();
    HashingSettings hashing = defaults.hashing();
    AuthServerConfig base =
        new AuthServerConfig(
            new HttpSettings(host, port, corsOrigins, signup, publicUrl)
                .withRpId(rpId)
                .withMetricsHost(metricsHost)
                .withMetricsPort(metricsPort),
            defaults.tokens().withType(tokenType),
            store.settings(),
            new KeySettings(
                keys.algorithm(),
                keys.rotationPeriod(),
                keys.jwksMaxAge(),
                clockSkew,
                keys.rotationCheckInterval()),
            new HashingSettings(
                hashing.params(),
                hashThreads != null ? hashThreads : hashing.threads(),
                hashQueue,
                hashMaxWait),
            sessions.settings(defaults.sessions().sessionLength()),
            delivery.settings(),
            accounts.settings(signup),
            defaults.clock());
    // every policy flag at once, so that e.g. --rotation-period 20s --jwks-max-age 5s is judged
    // as a pair, never one of them against the other's default
    return base.withKeyPolicy(policyRequest().over(base.keyPolicy()));
  }

  /**
   * The key policy settings given as flags (or their environment variables); the others take the
   * stored policy.
   */
  PolicyRequest policyRequest() {
    return new PolicyRequest(
        algorithm,
        rotationPeriod,
        jwksMaxAge,
        sessionLength,
        audience,
        issuer == null ? null : Optional.of(issuer));
  }
}
