package dev.latchkey.server.http;

import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.AuthStore;
import dev.latchkey.server.delivery.SessionCookies;
import dev.latchkey.server.delivery.SessionTokenVerifier;
import dev.latchkey.server.hosted.CsrfCookie;
import dev.latchkey.server.keys.KeyState;
import dev.latchkey.server.keys.SigningKeyInfo;
import dev.latchkey.server.sessions.SessionTokens;
import dev.latchkey.server.store.StoreUnavailableException;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.EmailAddress;
import dev.latchkey.server.users.HashingPool;
import dev.latchkey.server.users.PasswordPolicy;
import dev.latchkey.server.users.UserException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP endpoints of the auth server and the one mapping from failures to answers. */
public final class HttpApi {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  private static final Set<String> CREDENTIAL_FIELDS = Set.of("email", "password");
  private static final int MAX_FIELD_LENGTH = PasswordPolicy.MAX_LENGTH;
  private static final String RETRY_AFTER_SECONDS = "1";

  private final AuthServerConfig config;
  private final AuthStore store;
  private final TokenIssuer tokens;
  private final HashingPool hashing;
  private final Cors cors;
  private final String baseUrl;
  private final PasswordLogin passwordLogin;
  private final SessionStatusEndpoint sessionStatus;
  private final SessionEndpoints sessions;
  private final HostedLoginEndpoints hostedLogin;

  public HttpApi(
      AuthServerConfig config,
      AuthStore store,
      TokenIssuer tokens,
      HashingPool hashing,
      String baseUrl) {
    this.config = config;
    this.store = store;
    this.tokens = tokens;
    this.hashing = hashing;
    this.cors = new Cors(config.http().corsOrigins());
    this.baseUrl = baseUrl;
    this.passwordLogin = new PasswordLogin(store, tokens, hashing);
    SessionCookies cookies = new SessionCookies(config.delivery(), config.sessions().tokenLength());
    SessionTokenVerifier ownTokens =
        new SessionTokenVerifier(
            store.keys(),
            tokens.issuer(),
            tokens.audience(),
            config.clock(),
            config.keys().clockSkew());
    this.sessionStatus =
        new SessionStatusEndpoint(config.delivery().mode(), cookies, ownTokens, store.sessions());
    this.sessions = new SessionEndpoints(config, store, tokens, cors, sessionStatus, ownTokens);
    this.hostedLogin =
        new HostedLoginEndpoints(
            passwordLogin,
            sessions::clientAddress,
            this::setHostedLoginCookies,
            new CsrfCookie(config.delivery().secureCookies()),
            config.delivery().returnToPolicy());
  }

  /** Creates (does not start) the Javalin app. */
  public Javalin create() {
    return Javalin.create(this::configure);
  }

  private void configure(JavalinConfig c) {
    c.startup.showJavalinBanner = false;
    c.startup.showOldJavalinVersionWarning = false;
    c.http.maxRequestSize = Json.MAX_BODY_BYTES;
    c.jetty.host = config.http().host();
    c.jetty.port = config.http().port();
    c.jetty.modifyHttpConfiguration(h -> h.setSendServerVersion(false));

    c.routes.before(this::commonHeaders);
    c.routes.post("/api/login", this::login);
    c.routes.post("/api/signup", this::signup);
    c.routes.get("/.well-known/jwks.json", this::jwks);
    c.routes.get("/.well-known/openid-configuration", this::discovery);
    c.routes.get("/health", this::health);
    c.routes.options("/api/login", cors::preflight);
    c.routes.options("/api/signup", cors::preflight);
    c.routes.get("/api/session", sessionStatus::session);
    c.routes.options("/api/session", cors::preflight);
    sessions.addRoutes(c);
    if (config.delivery().hostedLogin()) {
      c.routes.get("/login", hostedLogin::show);
      c.routes.post("/login", hostedLogin::submit);
      c.routes.get("/login/done", hostedLogin::done);
    }

    c.routes.exception(Exception.class, (e, ctx) -> fail(ctx, e));
    c.routes.error(404, "*", ctx -> notFound(ctx));
    c.routes.error(405, "*", ctx -> notFound(ctx));
  }

  private void commonHeaders(Context ctx) {
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
    cors.apply(ctx);
  }

  private void login(Context ctx) {
    Map<String, String> body = Json.readStringFields(ctx, CREDENTIAL_FIELDS, MAX_FIELD_LENGTH);
    noStore(ctx);
    CompletableFuture<SessionTokens> attempt =
        passwordLogin.attempt(
            body.get("email"), body.get("password").toCharArray(), sessions.clientAddress(ctx));
    ctx.future(
        () ->
            answer(
                ctx,
                attempt,
                login -> {
                  setLoginCookies(ctx, login);
                  sessionStatus.answerLogin(ctx, login.access());
                }));
  }

  /** Every cookie a login sets: the session and XSRF cookies (cookie mode), the refresh cookie. */
  private void setLoginCookies(Context ctx, SessionTokens login) {
    sessionStatus.setCookies(ctx, login.access());
    sessions.setLoginCookies(ctx, login);
  }

  /**
   * The hosted page always sets the session cookie, whatever the delivery mode: it answers with a
   * redirect, so a cookie is the only way the session reaches the application (which, in body mode,
   * then exchanges it for a token at {@code GET /api/session}).
   */
  private void setHostedLoginCookies(Context ctx, SessionTokens login) {
    sessionStatus.cookies().setOnLogin(ctx, login.access().token(), login.access().expiresIn());
    sessions.setLoginCookies(ctx, login);
  }

  private void signup(Context ctx) {
    if (!config.http().signupEnabled()) {
      throw notFoundError();
    }
    Map<String, String> body = Json.readStringFields(ctx, CREDENTIAL_FIELDS, MAX_FIELD_LENGTH);
    String email = body.get("email");
    char[] password = body.get("password").toCharArray();
    noStore(ctx);
    if (EmailAddress.parse(email).isEmpty()) {
      throw new ApiError(400, "invalid_email", "This is not a valid email address.");
    }
    ctx.future(
        () ->
            answer(
                ctx,
                hashing.submit(
                    () -> {
                      try {
                        return store.users().signUp(email, password);
                      } finally {
                        Arrays.fill(password, '\0');
                      }
                    }),
                created ->
                    // The same answer whether or not the email already had an account.
                    Json.write(
                        ctx,
                        201,
                        Map.of(
                            "status",
                            "created",
                            "message",
                            "If this email can be used, its account is ready: log in."))));
  }

  private void jwks(Context ctx) {
    String json = store.keys().publicJwkSet().toString(true);
    ctx.header("Cache-Control", "public, max-age=" + config.keys().jwksMaxAge().toSeconds());
    Json.writeRaw(ctx, 200, json);
  }

  private void discovery(Context ctx) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", tokens.issuer());
    doc.put("jwks_uri", baseUrl + "/.well-known/jwks.json");
    doc.put("id_token_signing_alg_values_supported", signingAlgorithms());
    doc.put("token_endpoint_auth_methods_supported", List.of("none"));
    doc.put("subject_types_supported", List.of("public"));
    doc.put("response_types_supported", List.of("id_token"));
    doc.put(
        "claims_supported",
        List.of("iss", "sub", "aud", "iat", "exp", "jti", "sid", TokenIssuer.ROLES_CLAIM));
    ctx.header("Cache-Control", "public, max-age=" + config.keys().jwksMaxAge().toSeconds());
    Json.write(ctx, 200, doc);
  }

  private List<String> signingAlgorithms() {
    Set<String> algs = new java.util.LinkedHashSet<>();
    algs.add(config.keys().algorithm());
    for (SigningKeyInfo key : store.keys().published()) {
      algs.add(key.algorithm());
    }
    return List.copyOf(algs);
  }

  private void health(Context ctx) {
    noStore(ctx);
    Map<String, Object> body = new LinkedHashMap<>();
    if (!store.database().isReachable()) {
      body.put("status", "down");
      body.put("error", "unavailable");
      body.put("message", "The database is unreachable.");
      ctx.header("Retry-After", "5");
      Json.write(ctx, 503, body);
      return;
    }
    Optional<SigningKeyInfo> active =
        store.keys().published().stream().filter(k -> k.state() == KeyState.ACTIVE).findFirst();
    body.put("status", active.isPresent() ? "up" : "down");
    body.put("database", "up");
    body.put("activeKey", active.map(SigningKeyInfo::kid).orElse(null));
    Json.write(ctx, active.isPresent() ? 200 : 503, body);
  }

  private static void noStore(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    ctx.header("Pragma", "no-cache");
  }

  /** Completes the request with the work's result, or the one failure mapping. */
  private <T> CompletableFuture<Void> answer(
      Context ctx, CompletableFuture<T> work, java.util.function.Consumer<T> onSuccess) {
    return work.handle(
        (value, error) -> {
          if (error != null) {
            fail(ctx, error);
          } else {
            try {
              onSuccess.accept(value);
            } catch (RuntimeException e) {
              fail(ctx, e);
            }
          }
          return null;
        });
  }

  private ApiError notFoundError() {
    return new ApiError(404, "not_found", "There is nothing here.");
  }

  private void notFound(Context ctx) {
    if (ctx.result() == null || ctx.result().isEmpty() || !isJson(ctx)) {
      ApiError error =
          ctx.statusCode() == 405
              ? new ApiError(405, "method_not_allowed", "This method is not allowed here.")
              : notFoundError();
      Json.writeError(ctx, error);
    }
  }

  private static boolean isJson(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null
        && type.startsWith("application/json")
        && ctx.result().contains("\"error\"");
  }

  /** Every failure becomes a JSON answer; only unexpected ones are logged, never with secrets. */
  private void fail(Context ctx, Throwable thrown) {
    Throwable e = unwrap(thrown);
    ApiError error;
    if (e instanceof ApiError api) {
      error = api;
    } else if (e instanceof HashingPool.Saturated) {
      error =
          new ApiError(
              503,
              "busy",
              "Too many logins at once; try again shortly.",
              Map.of("Retry-After", RETRY_AFTER_SECONDS));
    } else if (e instanceof StoreUnavailableException) {
      log.warn("Database unavailable: {}", e.getCause() == null ? "" : e.getCause().getMessage());
      error =
          new ApiError(
              503,
              "unavailable",
              "The service is temporarily unavailable.",
              Map.of("Retry-After", "5"));
    } else if (e instanceof UserException user) {
      error = new ApiError(400, user.reason(), user.getMessage());
    } else if (e instanceof HttpResponseException http) {
      error = fromJavalin(http);
    } else {
      log.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
      error = new ApiError(500, "internal_error", "Something went wrong on our side.");
    }
    Json.writeError(ctx, error);
  }

  private ApiError fromJavalin(HttpResponseException http) {
    int status = http.getStatus();
    if (status == 413) {
      return new ApiError(413, "payload_too_large", "The request body is too large.");
    }
    if (status == 404) {
      return notFoundError();
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
