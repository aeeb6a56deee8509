package dev.latchkey.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.latchkey.server.AuthServer;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.testing.RevocationBound;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The revocation bound end to end, over real HTTP: two auth server instances on one PostgreSQL
 * schema whose clocks are 5 minutes apart (A lags), one application server (the demo server) that
 * polls the feed every second through a proxy the test controls; the feed's max-age is 1 s, so the
 * stated bound is poll interval + max-age = 2 s. The API must refuse the affected tokens within it
 * plus one poll interval (3 s), while other sessions keep working.
 */
class RevocationBoundTest {
  private static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String PG_USER = "postgres";
  private static final String EMAIL = "student@example.com";
  private static final String PASSWORD = "correct horse battery staple";
  private static final Duration POLL = Duration.ofSeconds(1);

  /** Poll interval + feed max-age (the auth servers' revocation poll interval). */
  private static final RevocationBound BOUND = new RevocationBound(POLL, POLL);

  private static final HttpClient http = HttpClient.newHttpClient();
  private static final ObjectMapper json = new ObjectMapper();

  @TempDir Path dataDir;
  private String schema;
  private FeedProxy proxy;
  private AuthServer a;
  private AuthServer b;
  private DemoServer app;

  @BeforeEach
  void start() throws Exception {
    assumePostgres();
    schema = "lk_" + UUID.randomUUID().toString().replace("-", "");
    String masterKey = MasterKey.generateBase64();
    proxy = new FeedProxy();
    a =
        AuthServer.start(
            instance(masterKey, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-5))));
    b = AuthServer.start(instance(masterKey, Clock.systemUTC()));
    proxy.target = URI.create(a.baseUrl());
    a.store().users().add(EMAIL, PASSWORD.toCharArray());
    app =
        DemoServer.start(
            DemoConfig.defaults()
                .withPort(0)
                .withAuthUrl(proxy.uri())
                .withDelivery("body")
                .withRevocationPollInterval(BOUND.pollInterval()));
  }

  private AuthServerConfig instance(String masterKey, Clock clock) {
    AuthServerConfig d = AuthServerConfig.defaults();
    return d.withHttp(HttpSettings.defaults().withAddress("localhost", 0))
        .withStore(
            StoreSettings.embedded(dataDir)
                .withMasterKey(masterKey)
                .withDatabase(PG_URL, PG_USER, null, schema))
        .withTokens(d.tokens().withIssuer(proxy.uri().toString()))
        .withSessions(d.sessions().withRevocationPollInterval(BOUND.feedMaxAge()))
        .withKeys(d.keys().withJwksMaxAge(Duration.ofSeconds(1)))
        .withHashing(d.hashing().withParams(new Argon2Params(1024, 1, 1)))
        .withClock(clock);
  }

  @AfterEach
  void stop() throws Exception {
    if (app != null) app.close();
    if (a != null) a.close();
    if (b != null) b.close();
    if (proxy != null) proxy.close();
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, null);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  @Test
  void aLogoutOnEitherInstanceClosesTheApiWithinTheBoundWhileOtherSessionsWork() throws Exception {
    String onA = logIn(a);
    String onB = logIn(b);
    String other = logIn(a);
    String other2 = logIn(b);
    awaitStatus(onA, 200, 0);
    awaitStatus(onB, 200, 0);

    // a logout on the lagging instance: its revocation is numbered after everything before it
    assertThat(logout(b, onA)).isEqualTo(204);
    assertRefusedWithinBound(onA);
    assertThat(logout(a, onB)).isEqualTo(204);
    assertRefusedWithinBound(onB);

    assertThat(lessons(other).statusCode()).isEqualTo(200);
    assertThat(lessons(other2).statusCode()).isEqualTo(200);
  }

  @Test
  void aKeyRevocationOnEitherInstanceClosesTheApiToItsTokensWithinTheBound() throws Exception {
    String byFirstKey = logIn(b);
    awaitStatus(byFirstKey, 200, 0);
    // rotate: the next key is published, starts signing one JWKS max-age (1 s) later
    a.store().keys().rotate();
    Thread.sleep(2_500); // beyond the max-age by both clocks' measure of elapsed time
    b.store().keys().rotate();
    // a signs from its key snapshot: it sees b's promotion within one snapshot refresh
    Thread.sleep(2 * dev.latchkey.server.keys.SigningKeys.PUBLISHED_REFRESH.toMillis());
    String bySecondKey = logIn(a);
    awaitStatus(bySecondKey, 200, 1); // a new kid: at most one rate-limited 503, then 200

    assertThat(kidOf(bySecondKey)).isNotEqualTo(kidOf(byFirstKey));
    a.store().keys().revoke(kidOf(byFirstKey));
    assertRefusedWithinBound(byFirstKey);
    assertThat(lessons(bySecondKey).statusCode()).isEqualTo(200);

    // and on the other instance: revoking the active key signs with a new one at once
    String third = logIn(b);
    b.store().keys().revoke(kidOf(bySecondKey));
    assertRefusedWithinBound(bySecondKey);
    assertThat(kidOf(third)).isEqualTo(kidOf(bySecondKey));
    String afterRevocation = logIn(a);
    awaitStatus(afterRevocation, 200, 1); // a new kid again
  }

  @Test
  void everyRevocationMadeWhileTheFeedWasDownArrivesWhenItAnswersAgain() throws Exception {
    String s1 = logIn(a);
    String s2 = logIn(b);
    String s3 = logIn(a);
    String kept = logIn(b);
    awaitStatus(s1, 200, 0);
    long okBefore = app.metrics().revocationPollsOk();

    proxy.feedDown = true;
    awaitFailedPolls(2);
    assertThat(logout(a, s1)).isEqualTo(204);
    assertThat(logout(b, s2)).isEqualTo(204);
    assertThat(logout(b, s3)).isEqualTo(204);
    awaitFailedPolls(4);
    // down: the verifier cannot know, the tokens still pass (the bound counts from recovery)
    assertThat(lessons(s1).statusCode()).isEqualTo(200);

    proxy.feedDown = false;
    assertRefusedWithinBound(s1);
    assertRefusedWithinBound(s2);
    assertRefusedWithinBound(s3);
    assertThat(lessons(kept).statusCode()).isEqualTo(200);
    assertThat(app.metrics().revocationPollsOk()).isGreaterThan(okBefore);
    assertThat(app.metrics().revocationCursor()).isPositive();
  }

  // ---- helpers ---------------------------------------------------------------------------

  private void awaitFailedPolls(long atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (app.metrics().revocationPollsFailed() < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(app.metrics().revocationPollsFailed()).isGreaterThanOrEqualTo(atLeast);
  }

  /** The API refuses this token within the bound (+ one poll), counted from now. */
  private void assertRefusedWithinBound(String token) throws Exception {
    BOUND.awaitStatus(System.nanoTime(), 401, () -> lessons(token));
  }

  /**
   * The API answers {@code status} to this token, after at most {@code allowed503s} answers 503 (a
   * new kid while the verifier's JWK Set refetch is rate-limited), each retried after its {@code
   * Retry-After} as a client does.
   */
  private void awaitStatus(String token, int status, int allowed503s) throws Exception {
    int unavailable = 0;
    HttpResponse<String> r = lessons(token);
    while (r.statusCode() == 503 && unavailable < allowed503s) {
      unavailable++;
      long retryAfter = r.headers().firstValueAsLong("Retry-After").orElse(1);
      Thread.sleep(Duration.ofSeconds(retryAfter).toMillis());
      r = lessons(token);
    }
    assertThat(r.statusCode())
        .as("after %d answers 503 (%d allowed): %s", unavailable, allowed503s, r.body())
        .isEqualTo(status);
    assertThat(unavailable).isLessThanOrEqualTo(allowed503s);
  }

  private static String kidOf(String token) throws Exception {
    return com.nimbusds.jwt.SignedJWT.parse(token).getHeader().getKeyID();
  }

  private static String logIn(AuthServer server) throws Exception {
    String body = "{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}";
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body()).get("idToken").asText();
  }

  private static int logout(AuthServer server, String token) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/logout"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private HttpResponse<String> lessons(String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/lessons"))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assumePostgres() {
    try (Connection c = DriverManager.getConnection(PG_URL + "?connectTimeout=2", PG_USER, null)) {
      Assumptions.assumeTrue(c.isValid(2), "no PostgreSQL at " + PG_URL);
    } catch (SQLException e) {
      if (Boolean.getBoolean("postgres.tests.required")) {
        throw new AssertionError("PostgreSQL tests are required: " + e.getMessage());
      }
      Assumptions.abort("PostgreSQL test skipped: no PostgreSQL at " + PG_URL);
    }
  }

  /**
   * The auth server as the application server sees it: forwards GETs to instance A, except that the
   * revocation feed answers 503 while {@link #feedDown}.
   */
  private static final class FeedProxy implements AutoCloseable {
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    volatile URI target;
    volatile boolean feedDown;

    FeedProxy() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", this::handle);
      server.setExecutor(Executors.newCachedThreadPool());
      server.start();
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
      try (ex) {
        URI asked = ex.getRequestURI();
        if (feedDown && asked.getPath().equals("/api/revocations")) {
          ex.sendResponseHeaders(503, -1);
          return;
        }
        HttpResponse<byte[]> r =
            client.send(
                HttpRequest.newBuilder(target.resolve(asked.toString())).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        for (String name : List.of("Content-Type", "Cache-Control")) {
          r.headers().firstValue(name).ifPresent(v -> ex.getResponseHeaders().set(name, v));
        }
        ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(r.body());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
