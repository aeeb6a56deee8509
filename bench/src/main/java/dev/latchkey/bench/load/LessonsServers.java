package dev.latchkey.bench.load;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.bench.TempDirs;
import dev.latchkey.demo.DemoConfig;
import dev.latchkey.demo.DemoServer;
import dev.latchkey.server.AuthServer;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.server.users.HashingSettings;
import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.javalin.JwtAuth;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Everything {@code bench/load/lessons-wrk.sh} drives, in one JVM on loopback:
 *
 * <ul>
 *   <li>a real {@link AuthServer} on a temporary H2 folder, with one user, and a session token from
 *       a real {@code POST /api/login};
 *   <li>the real {@link DemoServer} (its verifier built with the defaults, so the verified-token
 *       cache is on), keys from the auth server's JWKS URL;
 *   <li>two copies of the demo's API set up the same way (static files, SPA root, {@code
 *       JwtAuth.bearer} before {@code /api/lessons}, {@code /api/status}), one with the
 *       verified-token cache on and one with it off ({@code
 *       VerifierBuilder.verifiedTokenCache(false)}, which the demo does not expose). They serve the
 *       lessons the demo serves, and the same list again without the middleware at {@code
 *       /api/lessons-open}, so that the middleware's own cost can be told apart from the larger
 *       answer.
 * </ul>
 *
 * <p>It writes {@code TOKEN}, {@code DEMO_URL}, {@code CACHED_URL}, {@code UNCACHED_URL} to the
 * file given as {@code --env-file} (shell syntax), then runs until it is sent SIGTERM, or for
 * {@code --max-seconds} (default 600) at most; it stops everything it started and deletes its
 * folder on the way out.
 */
public final class LessonsServers implements AutoCloseable {
  public static final String EMAIL = "load@example.com";
  private static final String PASSWORD = "correct horse battery staple";

  public final Path dataDir;
  public final AuthServer auth;
  public final DemoServer demo;
  public final Mirror cached;
  public final Mirror uncached;
  public final String token;

  /** A copy of the demo's API in front of a verifier whose cache is on or off. */
  public static final class Mirror implements AutoCloseable {
    public final JwtVerifier verifier;
    public final Javalin app;

    Mirror(DemoConfig config, boolean cache, List<Map<String, Object>> lessons) {
      verifier =
          JwtVerifier.withJwksUrl(config.jwksUrl())
              .issuer(config.issuer())
              .audience(config.audience())
              .revocationFeed(DemoServer.revocationFeed(config))
              .verifiedTokenCache(cache)
              .build();
      JwtAuth auth = JwtAuth.bearer(verifier);
      app =
          Javalin.create(
              javalin -> {
                javalin.startup.showJavalinBanner = false;
                javalin.http.defaultContentType = "application/json";
                javalin.staticFiles.add("/public", Location.CLASSPATH);
                javalin.spaRoot.addFile("/", "/public/index.html", Location.CLASSPATH);
                javalin.routes.before("/api/lessons", auth.required());
                javalin.routes.get("/api/lessons", ctx -> ctx.json(lessons));
                javalin.routes.get("/api/lessons-open", ctx -> ctx.json(lessons));
                javalin.routes.get("/api/status", ctx -> ctx.json(Map.of("status", "ok")));
              });
      try {
        app.start("localhost", 0);
      } catch (RuntimeException e) {
        verifier.close();
        throw e;
      }
    }

    public String baseUrl() {
      return "http://localhost:" + app.port();
    }

    @Override
    public void close() {
      app.stop();
      verifier.close();
    }
  }

  private LessonsServers() {
    dataDir = TempDirs.create("latchkey-bench-lessons");
    AuthServer a = null;
    DemoServer d = null;
    Mirror on = null;
    try {
      a = startAuthServer(dataDir);
      token = login(a);
      DemoConfig config = DemoConfig.defaults().withPort(0).withAuthUrl(URI.create(a.baseUrl()));
      d = DemoServer.start(config);
      List<Map<String, Object>> lessons =
          new ObjectMapper()
              .readValue(get(d.baseUrl() + "/api/lessons", token), new TypeReference<>() {});
      on = new Mirror(config, true, lessons);
      uncached = new Mirror(config, false, lessons);
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (on != null) {
        on.close();
      }
      if (d != null) {
        d.close();
      }
      if (a != null) {
        a.close();
      }
      TempDirs.delete(dataDir);
      throw new IllegalStateException("cannot start the servers", e);
    }
    auth = a;
    demo = d;
    cached = on;
  }

  public static LessonsServers start() {
    return new LessonsServers();
  }

  /** A real auth server on loopback with its data in {@code dataDir}, and one user. */
  public static AuthServer startAuthServer(Path dataDir) {
    AuthServer a =
        AuthServer.start(
            AuthServerConfig.defaults()
                .withHttp(HttpSettings.defaults().withAddress("localhost", 0))
                .withStore(StoreSettings.embedded(dataDir))
                // Few logins: the hash parameters do not matter here.
                .withHashing(HashingSettings.defaults().withParams(new Argon2Params(1024, 1, 1))));
    try {
      a.store().users().add(EMAIL, PASSWORD.toCharArray());
      return a;
    } catch (RuntimeException e) {
      a.close();
      throw e;
    }
  }

  /** The session token of a real {@code POST /api/login} as the user. */
  public static String login(AuthServer auth) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(auth.loginUrl()))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("login answered " + r.statusCode());
    }
    return LoginLoad.idToken(r.body());
  }

  /** GET with a bearer token; fails unless the answer is 200. */
  static String get(String url, String bearer) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + bearer)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + url + " answered " + r.statusCode());
    }
    return r.body();
  }

  /** The verifiers' counters, one line each (the demo's own verifier is not reachable). */
  public String describeCounters() {
    return "cache on:  "
        + cached.verifier.metrics()
        + System.lineSeparator()
        + "cache off: "
        + uncached.verifier.metrics();
  }

  @Override
  public void close() {
    uncached.close();
    cached.close();
    demo.close();
    auth.close();
    TempDirs.delete(dataDir);
  }

  public static void main(String[] args) throws Exception {
    Path envFile = null;
    long maxSeconds = 600;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--env-file" -> envFile = Path.of(args[i + 1]);
        case "--max-seconds" -> maxSeconds = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("use --env-file FILE [--max-seconds N]");
      }
    }
    if (envFile == null) {
      throw new IllegalArgumentException("use --env-file FILE [--max-seconds N]");
    }
    LessonsServers servers = start();
    Path env = envFile;
    serveUntilStopped(
        servers,
        () ->
            writeAtomically(
                env,
                "TOKEN='"
                    + servers.token
                    + "'\nDEMO_URL='"
                    + servers.demo.baseUrl()
                    + "'\nCACHED_URL='"
                    + servers.cached.baseUrl()
                    + "'\nUNCACHED_URL='"
                    + servers.uncached.baseUrl()
                    + "'\nAUTH_URL='"
                    + servers.auth.baseUrl()
                    + "'\n"),
        servers::describeCounters,
        maxSeconds);
  }

  /**
   * Runs {@code ready} (which tells the driving script where everything is), then waits for SIGTERM
   * or {@code maxSeconds}, prints {@code counters} and closes {@code servers}.
   */
  public static void serveUntilStopped(
      AutoCloseable servers, Runnable ready, Supplier<String> counters, long maxSeconds)
      throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopped.countDown();
                  try {
                    closed.await(20, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    try {
      ready.run();
      System.out.println("READY");
      System.out.flush();
      stopped.await(maxSeconds, TimeUnit.SECONDS);
      System.out.println(counters.get());
    } finally {
      servers.close();
      closed.countDown();
    }
  }

  /** Writes {@code content} to {@code file} in one rename, so a reader never sees half of it. */
  public static void writeAtomically(Path file, String content) {
    try {
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "env", ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
