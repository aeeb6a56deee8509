package dev.latchkey.server;

import dev.latchkey.server.accounts.Accounts;
import dev.latchkey.server.http.HttpApi;
import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.server.mail.Mailer;
import dev.latchkey.server.metrics.MetricsEndpoint;
import dev.latchkey.server.metrics.ServerMetrics;
import dev.latchkey.server.policy.PolicyRequest;
import dev.latchkey.server.users.HashingPool;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running auth server: HTTP endpoints, the password hashing pool and the key rotation schedule.
 *
 * <pre>{@code
 * AuthServerConfig config = AuthServerConfig.defaults();
 * try (AuthServer server = AuthServer.start(config.withHttp(config.http().withPort(0)))) {
 *   System.out.println(server.jwksUrl());
 * }
 * }</pre>
 */
public final class AuthServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AuthServer.class);

  private final AuthStore store;
  private final HashingPool hashing;
  private final Mailer mailer;
  private final ScheduledExecutorService scheduler;
  private final Javalin app;
  private final int port;
  private final String baseUrl;
  private final String issuer;
  private final String publicUrl;
  private final MetricsEndpoint metricsEndpoint;

  private AuthServer(
      AuthStore store,
      HashingPool hashing,
      Mailer mailer,
      ScheduledExecutorService scheduler,
      Javalin app,
      int port,
      String baseUrl,
      String issuer,
      String publicUrl,
      MetricsEndpoint metricsEndpoint) {
    this.store = store;
    this.metricsEndpoint = metricsEndpoint;
    this.hashing = hashing;
    this.mailer = mailer;
    this.scheduler = scheduler;
    this.app = app;
    this.port = port;
    this.baseUrl = baseUrl;
    this.issuer = issuer;
    this.publicUrl = publicUrl;
  }

  /**
   * Runs the migrations, makes sure a signing key is active, starts the rotation schedule and the
   * HTTP server on {@code config.port()} (0 picks a free port).
   */
  public static AuthServer start(AuthServerConfig config) {
    return start(config, PolicyRequest.exactly(config.keyPolicy()));
  }

  /**
   * Starts under the stored key policy: settings {@code policy} leaves unset take the stored
   * values, the first start stores them, and a setting that differs from the stored one is refused
   * with {@link dev.latchkey.server.policy.PolicyMismatchException}.
   */
  public static AuthServer start(AuthServerConfig requested, PolicyRequest policy) {
    HttpSettings http = requested.http();
    // A free port is held from the moment it is picked (the issuer's URL names it) until Jetty
    // binds
    // it, so that another process cannot take it while the migrations run.
    ServerSocket reserved = http.port() == 0 ? reserve(http.host()) : null;
    int port = reserved == null ? http.port() : reserved.getLocalPort();
    AuthStore store;
    try {
      store = AuthStore.open(requested.withHttp(http.withPort(port)), policy);
    } catch (RuntimeException e) {
      release(reserved);
      throw e;
    }
    AuthServerConfig config = store.config();
    String baseUrl = config.http().baseUrl(port);
    String issuer = config.effectiveIssuer(port);
    String publicUrl = config.publicUrl(port);
    HashingPool hashing = null;
    Mailer mailer = null;
    ScheduledExecutorService scheduler = null;
    Javalin app = null;
    MetricsEndpoint metricsEndpoint = null;
    try {
      store.keys().ensureActiveKey();
      hashing =
          new HashingPool(
              config.hashing().threads(), config.hashing().queue(), config.hashing().maxWait());
      ServerMetrics metrics = new ServerMetrics();
      hashing.observeWait(metrics::hashWait);
      metrics.watch(hashing, store.keys(), config.clock());
      mailer = Mailer.create(config.accounts().mail(), config.clock(), System.out);
      metrics.watchMail(mailer);
      metrics.watchRevocations(store.revocations());
      Accounts accounts =
          new Accounts(
              config.accounts(),
              store.database(),
              store.users(),
              store.sessionRevocation(),
              store.throttle(),
              mailer,
              publicUrl,
              config.clock());
      HttpApi api =
          HttpWiring.api(
              config,
              store,
              new HttpWiring.Services(store.tokens(issuer), hashing, accounts, metrics),
              publicUrl);
      release(reserved);
      app = api.create().start();
      if (http.metricsPort() != null) {
        metricsEndpoint =
            MetricsEndpoint.start(http.metricsHost(), http.metricsPort(), metrics::scrape);
        log.info("Metrics at http://{}:{}/metrics", http.metricsHost(), metricsEndpoint.port());
      }
      scheduler = BackgroundTasks.start(store, accounts, config.keys().rotationCheckInterval());
      log.info(
          "Latchkey auth server at {}, public URL {} (issuer {}, audience {}, {} keys, signup {})",
          baseUrl,
          publicUrl,
          issuer,
          config.tokens().audience(),
          config.keys().algorithm(),
          http.signupEnabled() ? "on" : "off");
      return new AuthServer(
          store,
          hashing,
          mailer,
          scheduler,
          app,
          port,
          baseUrl,
          issuer,
          publicUrl,
          metricsEndpoint);
    } catch (RuntimeException e) {
      release(reserved);
      if (app != null) {
        app.stop();
      }
      if (scheduler != null) {
        scheduler.shutdownNow();
      }
      if (hashing != null) {
        hashing.close();
      }
      if (mailer != null) {
        mailer.close();
      }
      store.close();
      throw e;
    }
  }

  private static ServerSocket reserve(String host) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 1);
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }

  private static void release(ServerSocket reserved) {
    if (reserved != null && !reserved.isClosed()) {
      try {
        reserved.close();
      } catch (IOException e) {
        log.debug("closing the port reservation failed", e);
      }
    }
  }

  public int port() {
    return port;
  }

  /**
   * Every route this server answers on its public port, as {@code METHOD /path} (CORS preflights as
   * {@code OPTIONS /path}): what docs/server.md's table of endpoints lists.
   */
  public List<String> routes() {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(route -> route.endpoint)
        .filter(endpoint -> endpoint.method.isHttpMethod())
        .map(endpoint -> endpoint.method.name() + " " + endpoint.path)
        .distinct()
        .toList();
  }

  /**
   * The port of the metrics server ({@code --metrics-port}, on {@code --metrics-host}), or -1
   * without one; the public port never serves {@code /metrics}.
   */
  public int metricsPort() {
    return metricsEndpoint == null ? -1 : metricsEndpoint.port();
  }

  /**
   * The URL published to browsers and verifiers ({@code --public-url}, else an http(s) issuer, else
   * {@link #baseUrl()}).
   */
  public String publicUrl() {
    return publicUrl;
  }

  /** {@code http://host:port} (the bind address), without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  public String jwksUrl() {
    return baseUrl + "/.well-known/jwks.json";
  }

  public String discoveryUrl() {
    return baseUrl + "/.well-known/openid-configuration";
  }

  public String loginUrl() {
    return baseUrl + "/api/login";
  }

  /** The {@code iss} of the tokens this server signs. */
  public String issuer() {
    return issuer;
  }

  /** The database, users and keys behind this server (for admin operations and tests). */
  public AuthStore store() {
    return store;
  }

  /** The account mail sender (its counters: sent, failed, pending). */
  public Mailer mailer() {
    return mailer;
  }

  /** The password hashing pool (tests). */
  HashingPool hashingPool() {
    return hashing;
  }

  /** Stops HTTP, the rotation schedule and the hashing pool, then closes the database. */
  @Override
  public void close() {
    app.stop();
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
    scheduler.shutdownNow();
    hashing.close();
    mailer.close();
    store.close();
    log.info("Latchkey auth server at {} stopped", baseUrl);
  }
}
