package dev.latchkey.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed design's Node application server ({@code interop/node/server.mjs}: express 5,
 * express-jwt 8.5.1, jwks-rsa 4) protecting {@code GET /api/lessons} with the keys of a real
 * Latchkey auth server. Skipped with {@code -Dskip.npm} or when the machine has no {@code node}.
 */
@DisabledIfSystemProperty(
    named = "skip.npm",
    matches = "true",
    disabledReason =
        "express-jwt interop test skipped: -Dskip.npm was given (it needs node and npm ci)")
@EnabledIf(
    value = "nodeAvailable",
    disabledReason = "express-jwt interop test skipped: no `node` on this machine's PATH")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExpressJwtInteropTest {
  private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration NODE_START_TIMEOUT = Duration.ofSeconds(20);

  /**
   * How often server.mjs reads the revocation feed (revocations.mjs). Node's fetch keeps no HTTP
   * cache, so the feed's max-age adds nothing: a logout is refused within one interval.
   */
  private static final Duration REVOCATION_POLL = Duration.ofSeconds(2);

  @TempDir static Path dataDir;

  private static LatchkeyFixture latchkey;
  private static Process node;
  private static URI lessons;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  @Timeout(value = 240, unit = TimeUnit.SECONDS) // npm ci may download
  static void start() throws Exception {
    Path nodeDir = nodeDir();
    installIfNeeded(nodeDir);

    latchkey = LatchkeyFixture.start(dataDir);
    Path log = Files.createDirectories(Path.of("target")).resolve("node-server.log");
    ProcessBuilder builder =
        new ProcessBuilder("node", "server.mjs")
            .directory(nodeDir.toFile())
            .redirectError(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().put("LATCHKEY_JWKS_URI", latchkey.server().jwksUrl());
    builder.environment().put("LATCHKEY_ISSUER", latchkey.issuer());
    builder.environment().put("LATCHKEY_AUDIENCE", LatchkeyFixture.AUDIENCE);
    builder
        .environment()
        .put("LATCHKEY_REVOCATIONS_URI", latchkey.server().baseUrl() + "/api/revocations");
    builder
        .environment()
        .put("LATCHKEY_REVOCATION_POLL_MS", String.valueOf(REVOCATION_POLL.toMillis()));
    node = builder.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
    String first;
    try {
      first =
          CompletableFuture.supplyAsync(() -> readLine(out))
              .get(NODE_START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new IllegalStateException("node server.mjs did not print its port; see " + log, e);
    }
    if (first == null || !first.strip().matches("\\d+")) {
      throw new IllegalStateException(
          "node server.mjs printed " + first + " instead of its port; see " + log);
    }
    lessons = URI.create("http://127.0.0.1:" + first.strip() + "/api/lessons");
    Thread drain =
        new Thread(
            () -> {
              while (readLine(out) != null) {
                // keep the pipe empty
              }
            },
            "node-stdout");
    drain.setDaemon(true);
    drain.start();
  }

  @AfterAll
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  static void stop() throws InterruptedException {
    if (node != null) {
      try {
        node.getOutputStream().close(); // server.mjs exits when its stdin closes
      } catch (IOException e) {
        // already gone
      }
      if (!node.waitFor(5, TimeUnit.SECONDS)) {
        node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    if (latchkey != null) {
      latchkey.close();
    }
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (IOException e) {
      return null;
    }
  }

  static Path nodeDir() {
    return Path.of(System.getProperty("interop.node.dir", "node")).toAbsolutePath();
  }

  static boolean nodeAvailable() {
    return nodeVersion() != null;
  }

  /** {@code node --version}, or null when there is no node. */
  private static String nodeVersion() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? version.strip() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Runs {@code npm ci} when node_modules is missing or older than package-lock.json. */
  static void installIfNeeded(Path nodeDir) throws IOException, InterruptedException {
    Path lock = nodeDir.resolve("package-lock.json");
    Path installed = nodeDir.resolve("node_modules").resolve(".package-lock.json");
    if (Files.exists(installed)
        && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
      return;
    }
    Path log = Files.createDirectories(Path.of("target")).resolve("npm-ci.log");
    Process npm =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
            .directory(nodeDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!npm.waitFor(NPM_CI_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      npm.destroyForcibly();
      throw new IllegalStateException("npm ci took over " + NPM_CI_TIMEOUT + "; see " + log);
    }
    if (npm.exitValue() != 0) {
      throw new IllegalStateException("npm ci failed; see " + log);
    }
  }

  private static HttpResponse<String> get(String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(lessons).timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertAccepted(String token) throws IOException, InterruptedException {
    HttpResponse<String> response = get(token);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"user\":\"" + latchkey.userId() + "\"", "lessons");
  }

  private static void assertUnauthorized(String token, String why)
      throws IOException, InterruptedException {
    HttpResponse<String> response = get(token);
    assertThat(response.statusCode()).as(why + ": " + response.body()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
  }

  @Test
  @Order(1)
  void acceptsIssuedAndLoginTokens() throws Exception {
    assertAccepted(latchkey.issuedToken());
    assertAccepted(latchkey.loginToken());
  }

  @Test
  @Order(1)
  void refusesBadTokensWith401() throws Exception {
    assertUnauthorized(null, "no token");
    assertUnauthorized("not-a-jwt", "malformed");
    assertUnauthorized(latchkey.expiredToken(), "expired");
    assertUnauthorized(latchkey.wrongAudienceToken(), "wrong audience");
    assertUnauthorized(latchkey.wrongIssuerToken(), "wrong issuer");
    assertUnauthorized(latchkey.tamperedToken(), "tampered payload");
    assertUnauthorized(latchkey.foreignKeyToken(), "foreign key, unknown kid");
    assertUnauthorized(latchkey.foreignKeyTokenWithServerKid(), "foreign key, server's kid");
    assertUnauthorized(latchkey.unsignedToken(), "alg none");
  }

  @Test
  @Order(1)
  void theChallengeFollowsRfc6750() throws Exception {
    assertThat(get(null).headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(get(latchkey.expiredToken()).headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer error=\"invalid_token\"");
  }

  /**
   * After a rotation the new key signs with a new {@code kid}; jwks-rsa has never seen it, fetches
   * the JWK Set again and accepts the token. The old key stays published (retired), so the tokens
   * it signed keep working.
   */
  /**
   * A logout reaches the Node API through the revocation feed (revocations.mjs): the session's
   * token, still valid by its signature and expiry, is refused within the poll interval, plus one
   * interval of slack for a poll that started just before the logout and a loaded machine.
   */
  @Test
  @Order(1)
  void aLogoutReachesTheNodeApiWithinThePollInterval() throws Exception {
    String token = latchkey.loginToken();
    assertAccepted(token);
    HttpResponse<String> logout =
        http.send(
            HttpRequest.newBuilder(URI.create(latchkey.server().baseUrl() + "/api/logout"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(logout.statusCode()).isEqualTo(204);
    long loggedOut = System.nanoTime();
    Duration allowed = REVOCATION_POLL.multipliedBy(2);
    HttpResponse<String> refused = get(token);
    while (refused.statusCode() == 200 && System.nanoTime() - loggedOut < allowed.toNanos()) {
      Thread.sleep(50);
      refused = get(token);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - loggedOut);
    assertThat(refused.statusCode()).as("after %s: %s", took, refused.body()).isEqualTo(401);
    assertThat(took).isLessThanOrEqualTo(allowed);
    assertThat(refused.body()).contains("\"error\":\"revoked\"");
    assertThat(refused.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(challenge -> assertThat(challenge).contains("invalid_token"));
    // another session of the same user is untouched
    assertAccepted(latchkey.loginToken());
  }

  @Test
  @Order(2)
  void followsKeyRotation() throws Exception {
    String oldToken = latchkey.issuedToken();
    assertAccepted(oldToken); // jwks-rsa has now cached the old key

    String newKid = latchkey.rotate();
    String newToken = latchkey.issuedToken();

    assertThat(LatchkeyFixture.kidOf(newToken))
        .isEqualTo(newKid)
        .isNotEqualTo(LatchkeyFixture.kidOf(oldToken));
    assertAccepted(newToken);
    assertAccepted(oldToken);
  }
}
