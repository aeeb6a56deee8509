package dev.latchkey.server.http;

import dev.latchkey.server.accounts.Accounts;
import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.delivery.DeliverySettings;
import dev.latchkey.server.delivery.SessionTokenVerifier;
import dev.latchkey.server.hosted.AccountPages;
import dev.latchkey.server.http.accounts.AccountRoutes;
import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.Json;
import dev.latchkey.server.http.exchange.SessionAnswer;
import dev.latchkey.server.http.feed.RevocationFeedRoute;
import dev.latchkey.server.http.hostedlogin.HostedAccountRoutes;
import dev.latchkey.server.http.hostedlogin.HostedLoginRoutes;
import dev.latchkey.server.http.jwks.KeyDiscoveryRoutes;
import dev.latchkey.server.http.login.LoginRoute;
import dev.latchkey.server.http.login.PasswordLogin;
import dev.latchkey.server.http.login.RequestAddress;
import dev.latchkey.server.http.session.LogoutRoute;
import dev.latchkey.server.http.session.RefreshRoute;
import dev.latchkey.server.http.session.SessionStatusRoute;
import dev.latchkey.server.http.signup.SignupRoute;
import dev.latchkey.server.keys.KeySettings;
import dev.latchkey.server.keys.SigningKeys;
import dev.latchkey.server.metrics.ServerMetrics;
import dev.latchkey.server.revocation.RevocationLog;
import dev.latchkey.server.sessions.RefreshFailure;
import dev.latchkey.server.sessions.RefreshProtocol;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.server.sessions.SessionRevocation;
import dev.latchkey.server.sessions.SessionSettings;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.StoreUnavailableException;
import dev.latchkey.server.throttle.DeviceCookies;
import dev.latchkey.server.throttle.LoginThrottle;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.HashingPool;
import dev.latchkey.server.users.UserException;
import dev.latchkey.server.users.Users;
import dev.latchkey.verifier.javalin.JsonErrors;
import dev.latchkey.verifier.javalin.SlowClients;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoints of the auth server: which route answers which path, and the one mapping from
 * failures to answers. The constructor is the one place that reads the configuration; each route
 * gets only the settings and collaborators it uses.
 */
public final class HttpApi {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  private static final String RETRY_AFTER_BUSY_SECONDS = "1";
  private static final String RETRY_AFTER_UNAVAILABLE_SECONDS = "5";

  private final String host;
  private final SlowClients slowClients;
  private final int port;
  private final boolean hostedLoginEnabled;
  private final boolean metricsOnThisPort;
  private final Cors cors;
  private final LoginRoute login;
  private final SignupRoute signup;
  private final KeyDiscoveryRoutes keyDiscovery;
  private final HealthRoute health;
  private final SessionStatusRoute sessionStatus;
  private final LogoutRoute logout;
  private final RefreshRoute refresh;
  private final RevocationFeedRoute revocations;
  private final HostedLoginRoutes hostedLogin;
  private final ServerMetrics metrics;
  private final AccountRoutes accountRoutes;
  private final HostedAccountRoutes hostedAccounts;

  /**
   * What the routes work with: the store's components and the services beside them. The server's
   * root builds it from its configuration and store; the routes never see either whole.
   */
  public record Components(
      Users users,
      SigningKeys keys,
      Sessions sessions,
      RefreshProtocol refreshProtocol,
      SessionRevocation sessionRevocation,
      LoginThrottle throttle,
      DeviceCookies devices,
      RevocationLog revocations,
      Database database,
      TokenIssuer tokens,
      HashingPool hashing,
      Accounts accounts,
      Audit audit) {}

  /** The settings the HTTP layer reads: each route gets only the values it uses. */
  public record Settings(
      HttpSettings http,
      DeliverySettings delivery,
      SessionSettings sessions,
      KeySettings keys,
      Clock clock) {}

  public HttpApi(Settings config, Components store, String publicUrl, ServerMetrics metrics) {
    TokenIssuer tokens = store.tokens();
    HashingPool hashing = store.hashing();
    Accounts accounts = store.accounts();
    this.metrics = metrics;
    DeliverySettings delivery = config.delivery();
    RefreshSettings refreshSettings = config.sessions().refresh();
    this.host = config.http().host();
    this.slowClients = config.http().slowClients();
    this.port = config.http().port();
    this.hostedLoginEnabled = delivery.hostedLogin();
    this.metricsOnThisPort = config.http().metricsPort() == null;
    this.cors = new Cors(config.http().corsOrigins());

    BrowserCookies cookies =
        new BrowserCookies(
            delivery, config.sessions().tokenLength(), refreshSettings, config.clock());
    SessionAnswer answer = new SessionAnswer(delivery.mode());
    SessionTokenVerifier ownTokens =
        new SessionTokenVerifier(
            store.keys(),
            tokens.issuer(),
            tokens.audience(),
            tokens.type().getType(),
            config.clock(),
            config.keys().clockSkew());
    PasswordLogin passwordLogin =
        new PasswordLogin(
            store.throttle(),
            store.devices(),
            store.users(),
            store.sessions(),
            tokens,
            hashing,
            accounts::mayLogIn,
            store.audit());
    RequestAddress clientAddress = new RequestAddress(config.sessions().trustedProxies());

    this.login = new LoginRoute(passwordLogin, clientAddress, cookies, answer);
    this.signup = new SignupRoute(config.http().signupEnabled(), accounts, hashing);
    this.accountRoutes =
        new AccountRoutes(
            accounts,
            hashing,
            store.throttle(),
            store.users(),
            store.sessions(),
            ownTokens,
            cookies,
            clientAddress);
    this.hostedAccounts = new HostedAccountRoutes(accounts, hashing, cookies);
    this.keyDiscovery =
        new KeyDiscoveryRoutes(
            store.keys(),
            tokens.issuer(),
            publicUrl,
            config.keys().algorithm(),
            config.keys().jwksMaxAge());
    this.health = new HealthRoute(store.database(), store.keys());
    this.sessionStatus = new SessionStatusRoute(cookies, ownTokens, store.sessions(), answer);
    this.logout = new LogoutRoute(store.sessions(), store.sessionRevocation(), cookies, ownTokens);
    this.refresh =
        new RefreshRoute(
            refreshSettings.enabled(), store.refreshProtocol(), tokens, cookies, answer);
    this.revocations =
        new RevocationFeedRoute(
            store.revocations(), config.clock(), config.sessions().revocationPollInterval());
    this.hostedLogin =
        new HostedLoginRoutes(
            passwordLogin,
            clientAddress,
            cookies,
            delivery.returnToPolicy(),
            this::answerFor,
            publicUrl);
  }

  /** Creates (does not start) the Javalin app. */
  public Javalin create() {
    return Javalin.create(this::configure);
  }

  private void configure(JavalinConfig c) {
    c.startup.showJavalinBanner = false;
    c.startup.showOldJavalinVersionWarning = false;
    c.http.maxRequestSize = Json.MAX_BODY_BYTES;
    c.jetty.host = host;
    c.jetty.port = port;
    c.jetty.modifyHttpConfiguration(h -> h.setSendServerVersion(false));
    JsonErrors.install(c); // Jetty's own errors (e.g. a malformed URI) in our JSON shape
    slowClients.install(c);

    c.routes.before(this::commonHeaders);
    if (metricsOnThisPort) {
      c.routes.get("/metrics", this::metrics);
    }
    c.routes.after("/api/login", ctx -> countLogin(ctx, 200));
    c.routes.after("/login", ctx -> countLogin(ctx, 303));
    c.routes.after("/api/refresh", this::countRefresh);
    c.routes.after("/api/logout", this::countLogout);
    c.routes.after("/api/refresh/logout", this::countLogout);
    c.routes.after(KeyDiscoveryRoutes.JWKS_PATH, ctx -> metrics.jwksRequest());
    c.jetty.modifyServer(
        server -> {
          try {
            new io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics(
                    server.getThreadPool(), java.util.List.of())
                .bindTo(metrics.registry());
            io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics.addToAllConnectors(
                server, metrics.registry());
          } catch (LinkageError e) {
            log.warn("Jetty metrics unavailable: {}", e.toString());
          }
        });
    c.routes.post("/api/login", login::handle);
    c.routes.post("/api/signup", signup::handle);
    c.routes.get(KeyDiscoveryRoutes.JWKS_PATH, keyDiscovery::jwks);
    c.routes.get("/.well-known/openid-configuration", keyDiscovery::discovery);
    c.routes.get("/health", health::handle);
    c.routes.get("/health/ready", health::handle);
    c.routes.get("/health/live", health::live);
    c.routes.get("/api/session", sessionStatus::handle);
    c.routes.post("/api/logout", logout::handle);
    // The refresh cookie is scoped to /api/refresh, so a browser sends it only below that path:
    // this alias lets a client whose access token is gone still end its refresh session.
    c.routes.post("/api/refresh/logout", logout::handle);
    c.routes.post("/api/refresh", refresh::handle);
    c.routes.get("/api/revocations", revocations::handle);
    c.routes.post("/api/email-verification", accountRoutes::resendVerification);
    c.routes.post("/api/email-verification/confirm", accountRoutes::confirmEmail);
    c.routes.post("/api/password-reset", accountRoutes::requestReset);
    c.routes.post("/api/password-reset/confirm", accountRoutes::confirmReset);
    c.routes.post("/api/password", accountRoutes::changePassword);
    AccountRoutes.PATHS.forEach(path -> c.routes.options(path, cors::preflight));
    for (String path :
        List.of(
            "/api/login",
            "/api/signup",
            "/api/session",
            "/api/logout",
            "/api/refresh",
            "/api/refresh/logout")) {
      c.routes.options(path, cors::preflight);
    }
    if (hostedLoginEnabled) {
      c.routes.get("/login", hostedLogin::show);
      c.routes.post("/login", hostedLogin::submit);
      c.routes.get("/login/done", hostedLogin::done);
      c.routes.get(AccountPages.FORGOT_PATH, hostedAccounts::showForgot);
      c.routes.post(AccountPages.FORGOT_PATH, hostedAccounts::submitForgot);
      c.routes.get(AccountPages.RESET_PATH, hostedAccounts::showReset);
      c.routes.post(AccountPages.RESET_PATH, hostedAccounts::submitReset);
      c.routes.get(AccountPages.VERIFY_PATH, hostedAccounts::showVerify);
      c.routes.post(AccountPages.VERIFY_PATH, hostedAccounts::submitVerify);
    }

    c.routes.exception(Exception.class, (e, ctx) -> fail(ctx, e));
    c.routes.error(404, "*", this::notFound);
    c.routes.error(405, "*", this::notFound);
  }

  private void metrics(Context ctx) {
    Caching.noStore(ctx);
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
  }

  /** A password login (API or hosted page) by its answer's status. */
  private void countLogin(Context ctx, int success) {
    if (!ctx.method().name().equals("POST")) {
      return;
    }
    int status = ctx.statusCode();
    if (status == success) {
      metrics.login(ServerMetrics.SUCCESS);
      metrics.tokenIssued();
    } else if (status == 401) {
      metrics.login(ServerMetrics.BAD_CREDENTIALS);
    } else if (status == 429) {
      metrics.login(ServerMetrics.THROTTLED);
    } else if (status == 503) {
      metrics.login(ServerMetrics.UNAVAILABLE);
    }
  }

  private void countRefresh(Context ctx) {
    if (!ctx.method().name().equals("POST")) {
      return;
    }
    if (ctx.statusCode() == 200) {
      metrics.refresh("success");
      metrics.tokenIssued();
    } else if (ctx.attribute(RefreshRoute.REFRESH_FAILURE) == RefreshFailure.REUSED) {
      metrics.refresh("reuse_detected");
    } else if (ctx.statusCode() == 401) {
      metrics.refresh("rejected");
    }
  }

  private void countLogout(Context ctx) {
    if (ctx.method().name().equals("POST") && ctx.statusCode() == 204) {
      metrics.logout(Boolean.TRUE.equals(ctx.attribute(LogoutRoute.SESSION_ENDED)));
    }
  }

  private void commonHeaders(Context ctx) {
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
    cors.apply(ctx);
  }

  private void notFound(Context ctx) {
    if (ctx.result() == null || ctx.result().isEmpty() || !isJson(ctx)) {
      ApiError error =
          ctx.statusCode() == 405
              ? new ApiError(405, "method_not_allowed", "This method is not allowed here.")
              : ApiError.notFound();
      Json.writeError(ctx, error);
    }
  }

  private static boolean isJson(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null
        && type.startsWith("application/json")
        && ctx.result().contains("\"error\"");
  }

  private void fail(Context ctx, Throwable thrown) {
    Json.writeError(ctx, answerFor(ctx, thrown));
  }

  /** Every failure becomes an answer; only unexpected ones are logged, never with secrets. */
  private ApiError answerFor(Context ctx, Throwable thrown) {
    Throwable e = unwrap(thrown);
    if (e instanceof ApiError api) {
      return api;
    } else if (e instanceof HashingPool.Saturated) {
      return new ApiError(
          503,
          "busy",
          "Too many logins at once; try again shortly.",
          Map.of("Retry-After", RETRY_AFTER_BUSY_SECONDS));
    } else if (e instanceof StoreUnavailableException) {
      log.warn("Database unavailable: {}", e.getCause() == null ? "" : e.getCause().getMessage());
      return new ApiError(
          503,
          "unavailable",
          "The service is temporarily unavailable.",
          Map.of("Retry-After", RETRY_AFTER_UNAVAILABLE_SECONDS));
    } else if (e instanceof UserException user) {
      return new ApiError(400, user.reason(), user.getMessage());
    } else if (e instanceof HttpResponseException http) {
      return fromJavalin(http);
    }
    log.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
    return new ApiError(500, "internal_error", "Something went wrong on our side.");
  }

  private static ApiError fromJavalin(HttpResponseException http) {
    int status = http.getStatus();
    if (status == 413) {
      return ApiError.payloadTooLarge("The request body is too large.");
    }
    if (status == 404) {
      return ApiError.notFound();
    }
    if (status >= 400 && status < 500) {
      return new ApiError(status, "invalid_request", "The request was refused.");
    }
    return new ApiError(503, "unavailable", "The service is temporarily unavailable.");
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
