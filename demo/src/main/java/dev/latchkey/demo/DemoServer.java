package dev.latchkey.demo;

import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.RevocationSettings;
import dev.latchkey.verifier.VerifierMetrics;
import dev.latchkey.verifier.dpop.DpopProofChecker;
import dev.latchkey.verifier.javalin.JsonErrors;
import dev.latchkey.verifier.javalin.JwtAuth;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application server of the seed design: serves the Angular client and {@code GET
 * /api/lessons}, which only a valid session token opens, and {@code GET /api/admin/progress}, which
 * only a token with role {@code admin} opens (and, when configured, only one whose {@code amr} says
 * the user passed a second factor: 403 {@code insufficient_user_authentication} else). Its keys
 * come from the auth server's JWKS URL; it shares nothing else with the auth server.
 */
public final class DemoServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DemoServer.class);

  private static final String COMPLETION = "/api/lessons/{id}/completion";

  /** Every user's completions: role {@code admin} only (403 {@code insufficient_scope} else). */
  private static final String ADMIN_PROGRESS = "/api/admin/progress";

  /**
   * Jetty's per-connection request-header field cache, in characters (Jetty's default is 1024).
   * Jetty caches the {@code Authorization} and {@code Cookie} lines of a connection to parse the
   * next request's faster, if their value fits; a session token (≈ 800 characters) fits 1024, so
   * with a different token on each request of a kept-alive connection (a proxy multiplexing users)
   * every request overflows the cache, which Jetty then empties and refills. 512 keeps what repeats
   * (Host, Accept, User-Agent) and leaves tokens out (see bench/README.md, "Distinct tokens"). The
   * system property {@code latchkey.jetty.headerCacheSize} overrides it, for that benchmark's
   * comparison with Jetty's default.
   */
  static final int HEADER_CACHE_SIZE = Integer.getInteger("latchkey.jetty.headerCacheSize", 512);

  /**
   * The DPoP replay cache's bound: the verifier's default (1 000 000 proofs, each held 120 s, so at
   * most ≈ 8 300 DPoP requests a second sustained; beyond, {@code 503 dpop_replay_cache_full}). The
   * system property {@code latchkey.dpop.replayCacheSize} overrides it (bench/load/dpop-load.sh's
   * REPLAY_CACHE), to run the demo with another bound.
   */
  static final int DPOP_REPLAY_CACHE_SIZE =
      Integer.getInteger(
          "latchkey.dpop.replayCacheSize", DpopProofChecker.DEFAULT_REPLAY_CACHE_SIZE);

  private final DemoConfig config;
  private final Progress progress = new Progress();
  private final JwtVerifier verifier;
  private final Javalin app;
  private final VerifierMeters meters;
  private Javalin metricsApp; // the separate metrics server, when a metrics port is given

  private DemoServer(DemoConfig config) {
    this.config = config;
    this.verifier =
        JwtVerifier.withJwksUrl(config.jwksUrl())
            .issuer(config.issuer())
            .audience(config.audience())
            .revocationFeed(revocationFeed(config))
            .verifiedTokenCache(config.verifiedTokenCache())
            .dpop(DpopProofChecker.builder().replayCacheSize(DPOP_REPLAY_CACHE_SIZE).build())
            .build();
    this.meters = new VerifierMeters(verifier);
    JwtAuth auth =
        config.delivery().equals("cookie")
            ? JwtAuth.cookie(verifier, config.cookieName())
            : JwtAuth.bearer(verifier);
    this.app =
        Javalin.create(
            javalin -> {
              javalin.startup.showJavalinBanner = false;
              javalin.jetty.modifyHttpConfiguration(
                  http -> http.setHeaderCacheSize(HEADER_CACHE_SIZE));
              javalin.http.defaultContentType = "application/json";
              JsonErrors.install(javalin);
              config.slowClients().install(javalin);
              if (hasClient()) {
                javalin.staticFiles.add("/public", Location.CLASSPATH);
                javalin.spaRoot.addFile("/", "/public/index.html", Location.CLASSPATH);
              } else {
                log.warn(
                    "No web client in this build (built with -Dskip.npm): serving the API only");
              }
              // pages such as /verify-email and /reset-password get a token in the fragment:
              // no page of the app sends its address on in Referer
              javalin.routes.before(ctx -> ctx.header("Referrer-Policy", "no-referrer"));
              javalin.routes.before("/api/lessons", auth.required());
              javalin.routes.before(COMPLETION, auth.required());
              javalin.routes.before(ADMIN_PROGRESS, auth.requireRole("admin"));
              if (config.adminRequiresSecondFactor()) {
                javalin.routes.before(ADMIN_PROGRESS, auth.requireSecondFactor());
              }
              javalin.routes.get(ADMIN_PROGRESS, ctx -> ctx.json(progress.everyone()));
              javalin.routes.get("/api/lessons", this::lessons);
              javalin.routes.put(COMPLETION, ctx -> markCompletion(ctx, true));
              javalin.routes.delete(COMPLETION, ctx -> markCompletion(ctx, false));
              javalin.routes.get("/api/status", ctx -> ctx.json(Map.of("status", "ok")));
              if (config.metricsPort() == null) {
                javalin.routes.get("/metrics", this::metrics);
              }
              javalin.routes.get("/config.json", this::clientConfig);
            });
  }

  private void metrics(Context ctx) {
    ctx.header("Cache-Control", "no-store")
        .contentType("text/plain; version=0.0.4; charset=utf-8")
        .result(meters.scrape());
  }

  /** A server on the metrics port that serves {@code GET /metrics} alone. */
  private Javalin metricsServer() {
    return Javalin.create(
        javalin -> {
          javalin.startup.showJavalinBanner = false;
          javalin.http.defaultContentType = "application/json";
          JsonErrors.install(javalin);
          javalin.routes.get("/metrics", this::metrics);
        });
  }

  /** Whether the Angular client was built into this jar ({@code -Dskip.npm} leaves it out). */
  static boolean hasClient() {
    return DemoServer.class.getResource("/public/index.html") != null;
  }

  /** The auth server's feed, polled as often as the demo is configured to. */
  public static RevocationSettings revocationFeed(DemoConfig config) {
    Duration interval = config.revocationPollInterval();
    return RevocationSettings.builder(config.revocationsUrl())
        .pollInterval(interval)
        .backgroundCheck(min(interval, Duration.ofSeconds(5)))
        .build();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Starts the server; the caller closes it. */
  public static DemoServer start(DemoConfig config) {
    DemoServer server = new DemoServer(config);
    try {
      server.app.start(config.host(), config.port());
      if (config.metricsPort() != null) {
        server.metricsApp = server.metricsServer().start("localhost", config.metricsPort());
        log.info("Metrics at http://localhost:{}/metrics", server.metricsApp.port());
      }
    } catch (RuntimeException e) {
      server.app.stop();
      server.verifier.close();
      throw e;
    }
    log.info("Demo server listening on {} (keys from {})", server.baseUrl(), config.jwksUrl());
    return server;
  }

  public int port() {
    return app.port();
  }

  /** The port of the separate metrics server, or -1 without one. */
  public int metricsPort() {
    return metricsApp == null ? -1 : metricsApp.port();
  }

  /** Its URL on this machine: on its host, or localhost when it listens on every address. */
  public String baseUrl() {
    String host = config.host();
    boolean everyAddress = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    return "http://" + (everyAddress ? "localhost" : host) + ":" + port();
  }

  /**
   * Every route this server answers, as {@code METHOD /path}: what docs/server.md's table of the
   * demo application server lists (the client's files are served besides them).
   */
  public List<String> routes() {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(route -> route.endpoint)
        .filter(endpoint -> endpoint.method.isHttpMethod())
        .map(endpoint -> endpoint.method.name() + " " + endpoint.path)
        .distinct()
        .toList();
  }

  /** The verifier's metrics: keys, rejections, the revocation feed's age and cursor. */
  public VerifierMetrics metrics() {
    return verifier.metrics();
  }

  private void lessons(Context ctx) {
    ctx.json(progress.lessonsFor(JwtAuth.token(ctx).subject()));
  }

  private void markCompletion(Context ctx, boolean completed) {
    String id = ctx.pathParam("id");
    if (!id.matches("\\d{1,6}") || !Progress.exists(Integer.parseInt(id))) {
      ctx.status(404).json(Map.of("error", "not_found", "message", "There is no such lesson."));
      return;
    }
    int lessonId = Integer.parseInt(id);
    progress.mark(JwtAuth.token(ctx).subject(), lessonId, completed);
    ctx.json(Map.of("id", lessonId, "completed", completed));
  }

  /** What the Angular client reads at start-up: where to log in, and where its token may go. */
  private void clientConfig(Context ctx) {
    List<String> apiOrigins = new ArrayList<>();
    apiOrigins.add(baseUrl());
    apiOrigins.addAll(config.extraApiOrigins());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("authUrl", config.issuer());
    body.put("apiOrigins", apiOrigins);
    body.put("delivery", config.delivery());
    // body mode binds each session to a key the browser cannot export (DPoP), so a token copied
    // out of localStorage is refused here without that key's proof; the code flow's access token
    // comes from /token, which the client calls without a proof
    boolean codeFlow = config.codeFlowClientId() != null;
    body.put("dpop", config.delivery().equals("body") && !codeFlow);
    if (codeFlow) {
      body.put("codeFlow", Map.of("clientId", config.codeFlowClientId()));
    }
    body.put("signupEnabled", config.signupEnabled());
    body.put("hostedLoginUrl", config.issuer() + "/login");
    ctx.header("Cache-Control", "no-store");
    ctx.json(body);
  }

  @Override
  public void close() {
    app.stop();
    if (metricsApp != null) {
      metricsApp.stop();
    }
    verifier.close();
  }
}
