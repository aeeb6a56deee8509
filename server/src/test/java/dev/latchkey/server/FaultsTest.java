package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.json;
import static dev.latchkey.server.TestHttp.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.MasterKeyMismatchException;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.server.users.HashingSettings;
import dev.latchkey.testing.FreePort;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outages, overload and the master key. */
class FaultsTest {
  private static final String EMAIL = "ada@example.com";
  private static final String PASSWORD = "correct horse battery staple";

  @TempDir Path tempDir;

  @Test
  void databaseOutageGives503AndRecoversWithoutRestart() throws Exception {
    int dbPort = FreePort.find();
    String[] args = {"-tcpPort", "" + dbPort, "-baseDir", tempDir.toString(), "-ifNotExists"};
    Server db = Server.createTcpServer(args).start();
    AuthServerConfig fresh = TestDatabase.H2.freshConfig(tempDir);
    String url = "jdbc:h2:tcp://localhost:" + dbPort + "/latchkey";
    AuthServerConfig config = fresh.withStore(fresh.store().withDatabase(url, null, null, null));
    try (AuthServer server = AuthServer.start(config)) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(200);

      db.stop();
      HttpResponse<String> down = login(server, EMAIL, PASSWORD);
      assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
      assertThat(json(down).get("error").asText()).isEqualTo("unavailable");
      assertThat(down.headers().firstValue("Retry-After")).isPresent();
      assertThat(TestHttp.get(server.baseUrl() + "/health").statusCode()).isEqualTo(503);
      // the keys are served from memory: verifiers can still fetch them during the outage
      assertThat(TestHttp.get(server.jwksUrl()).statusCode()).isEqualTo(200);

      db = Server.createTcpServer(args).start();
      HttpResponse<String> back = login(server, EMAIL, PASSWORD);
      assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
      assertThat(TestHttp.get(server.baseUrl() + "/health").statusCode()).isEqualTo(200);
    } finally {
      db.stop();
    }
  }

  @Test
  void aFloodOfLoginsGets503WithRetryAfterAndOtherEndpointsStillAnswer() throws Exception {
    try (AuthServer server = startWithOneHashingPlace(new Argon2Params(19 * 1024, 6, 1))) {
      List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        flood.add(
            TestHttp.CLIENT.sendAsync(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.loginUrl()))
                    .header("Content-Type", "application/json")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            TestHttp.credentials(EMAIL, PASSWORD)))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      assertThat(TestHttp.get(server.jwksUrl()).statusCode()).isEqualTo(200);
      assertThat(TestHttp.get(server.baseUrl() + "/health").statusCode()).isEqualTo(200);

      List<HttpResponse<String>> answers = flood.stream().map(CompletableFuture::join).toList();
      List<HttpResponse<String>> busy =
          answers.stream().filter(r -> r.statusCode() == 503).toList();
      // 429: attempts in flight hold their place in the account's throttle before hashing
      assertThat(answers).allSatisfy(r -> assertThat(r.statusCode()).isIn(200, 429, 503));
      assertThat(answers).anySatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
      assertThat(busy).isNotEmpty();
      assertThat(busy.get(0).headers().firstValue("Retry-After")).contains("1");
      assertThat(json(busy.get(0)).get("error").asText()).isEqualTo("busy");
      assertThat(TestHttp.get(TestHttp.metricsUrl(server)).body())
          .contains("latchkey_logins_total{outcome=\"unavailable\"} " + (double) busy.size());
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aPasswordChangeFindingTheHashingPoolFullGets503AndThePasswordStays() throws Exception {
    try (AuthServer server = startWithOneHashingPlace(new Argon2Params(64 * 1024, 10, 1))) {
      String token = TestHttp.idToken(login(server, EMAIL, PASSWORD));
      TestHttp.get(TestHttp.metricsUrl(server)); // the first scrape is slow; the window is short
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<CompletableFuture<HttpResponse<String>>> busy = new ArrayList<>();
      busy.add(CompletableFuture.supplyAsync(() -> login(server, "a@example.com", "wrong"), pool));
      awaitMetric(server, "latchkey_hash_wait_seconds_count 2"); // hashing (after the first login)
      busy.add(CompletableFuture.supplyAsync(() -> login(server, "b@example.com", "wrong"), pool));
      awaitMetric(server, "latchkey_hash_queue_depth 1.0"); // queued: the pool is full

      HttpResponse<String> change =
          TestHttp.postJson(
              server.baseUrl() + "/api/password",
              "{\"currentPassword\":\""
                  + PASSWORD
                  + "\",\"newPassword\":\"a new passphrase here\"}",
              "Authorization",
              "Bearer " + token);
      assertThat(change.statusCode()).as(change.body()).isEqualTo(503);
      assertThat(json(change).get("error").asText()).isEqualTo("busy");
      assertThat(change.headers().firstValue("Retry-After")).contains("1");

      busy.forEach(CompletableFuture::join);
      pool.shutdown();
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(200);
    }
  }

  /** A server (with the user) whose hashing pool is one thread and one queue place. */
  private AuthServer startWithOneHashingPlace(Argon2Params slowHash) {
    AuthServer server =
        AuthServer.start(
            TestHttp.withMetrics(TestDatabase.H2.freshConfig(tempDir))
                .withHashing(new HashingSettings(slowHash, 1, 1)));
    server.store().users().add(EMAIL, PASSWORD.toCharArray());
    return server;
  }

  private static void awaitMetric(AuthServer server, String line) throws InterruptedException {
    String seen = "";
    for (int i = 0; i < 200; i++) {
      seen = TestHttp.get(TestHttp.metricsUrl(server)).body();
      if (seen.lines().anyMatch(line::equals)) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError(
        "never " + line + ": " + seen.lines().filter(l -> l.startsWith("latchkey_hash")).toList());
  }

  @Test
  void theEmbeddedDefaultGeneratesAnOwnerOnlyMasterKeyAndEncryptsPrivateKeys() throws Exception {
    AuthServerConfig config = withoutMasterKey(TestDatabase.H2.freshConfig(tempDir));
    Path keyFile = config.store().dataDir().resolve("master.key");
    try (AuthServer server = AuthServer.start(config)) {
      assertThat(Files.getPosixFilePermissions(keyFile))
          .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
      String stored = storedPrivateKey(server.store());
      assertThat(stored).startsWith("v1:").doesNotContain("MII");
    }
    String firstKey = Files.readString(keyFile);
    try (AuthServer again = AuthServer.start(config)) {
      assertThat(Files.readString(keyFile)).isEqualTo(firstKey);
      assertThat(TestHttp.get(again.baseUrl() + "/health").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aWrongMasterKeyStopsTheServerFromStarting() {
    AuthServerConfig config = TestDatabase.H2.freshConfig(tempDir);
    try (AuthServer server = AuthServer.start(config)) {
      assertThat(server.port()).isPositive();
    }
    StoreSettings otherKey = config.store().withMasterKey(MasterKey.generateBase64());
    assertThatThrownBy(() -> AuthServer.start(config.withStore(otherKey)))
        .isInstanceOf(MasterKeyMismatchException.class)
        .hasMessageContaining("master key");
  }

  @Test
  void anOperatorMasterKeyFileMustExistAndBeValid() throws Exception {
    AuthServerConfig base = withoutMasterKey(TestDatabase.H2.freshConfig(tempDir));
    Path file = tempDir.resolve("operator.key");
    AuthServerConfig config = base.withStore(base.store().withMasterKeyFile(file));
    assertThatThrownBy(() -> AuthStore.open(config)).hasMessageContaining("does not exist");
    Files.writeString(file, "not base64 of 32 bytes");
    assertThatThrownBy(() -> AuthStore.open(config)).hasMessageContaining("not base64 of 32 bytes");
    Files.writeString(file, MasterKey.generateBase64() + "\n");
    try (AuthServer server = AuthServer.start(config)) {
      assertThat(server.port()).isPositive();
      assertThat(Files.exists(config.store().dataDir().resolve("master.key"))).isFalse();
    }
  }

  private static AuthServerConfig withoutMasterKey(AuthServerConfig config) {
    return config.withStore(config.store().withMasterKey(null));
  }

  private static String storedPrivateKey(AuthStore store) {
    return store
        .database()
        .queryOne("SELECT private_key_enc FROM signing_keys", rs -> rs.getString(1))
        .orElseThrow();
  }
}
