package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.get;
import static dev.latchkey.server.TestHttp.idToken;
import static dev.latchkey.server.TestHttp.login;
import static dev.latchkey.server.TestHttp.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} in Prometheus text after real requests. */
class MetricsTest {

  private static final String EMAIL = "ada@example.com";
  private static final String PASSWORD = "a long enough passphrase";

  @TempDir Path tempDir;

  @Test
  void loginsJwksKeysHashingJvmAndJettyAreExported() {
    AuthServerConfig config = TestHttp.withMetrics(TestDatabase.H2.freshConfig(tempDir));
    try (AuthServer server = AuthServer.start(config)) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(200);
      assertThat(login(server, EMAIL, "wrong password").statusCode()).isEqualTo(401);
      assertThat(get(server.jwksUrl()).statusCode()).isEqualTo(200);

      HttpResponse<String> scraped = get(TestHttp.metricsUrl(server));
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(scraped.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("text/plain");
      assertThat(scraped.body())
          .contains("latchkey_logins_total{outcome=\"success\"} 1.0")
          .contains("latchkey_logins_total{outcome=\"bad_credentials\"} 1.0")
          .contains("latchkey_logins_total{outcome=\"throttled\"} 0.0")
          .contains("latchkey_logins_total{outcome=\"unavailable\"} 0.0")
          .contains("latchkey_tokens_issued_total 1.0")
          .contains("latchkey_jwks_requests_total 1.0")
          .contains("latchkey_refreshes_total{outcome=\"reuse_detected\"} 0.0")
          .contains("latchkey_hash_queue_depth")
          .contains("latchkey_hash_wait_seconds_count 2")
          .contains("latchkey_signing_key_age_seconds{state=\"active\"}")
          .contains("jvm_memory_used_bytes")
          .contains("jetty_threads_current");
      assertThat(scraped.body()).doesNotContain(EMAIL).doesNotContain(PASSWORD);
    }
  }

  @Test
  void aLogoutCountsARevocationOnlyWhenItEndedASession() {
    AuthServerConfig config = TestHttp.withMetrics(TestDatabase.H2.freshConfig(tempDir));
    try (AuthServer server = AuthServer.start(config)) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      String token = idToken(login(server, EMAIL, PASSWORD));
      for (int i = 0; i < 2; i++) { // the second names a session already ended
        assertThat(
                postJson(server.baseUrl() + "/api/logout", "", "Authorization", "Bearer " + token)
                    .statusCode())
            .isEqualTo(204);
      }
      assertThat(postJson(server.baseUrl() + "/api/logout", "").statusCode()).isEqualTo(204);

      assertThat(get(TestHttp.metricsUrl(server)).body())
          .contains("latchkey_logouts_total 3.0")
          .contains("latchkey_revocations_total{kind=\"logout\"} 1.0");
    }
  }

  @Test
  void aMetricsPortServesTheMetricsThereAndNotOnThePublicPort() {
    AuthServerConfig config = TestDatabase.H2.freshConfig(tempDir);
    try (AuthServer server = AuthServer.start(config.withHttp(config.http().withMetricsPort(0)))) {
      assertThat(server.metricsPort()).isPositive().isNotEqualTo(server.port());
      HttpResponse<String> scraped = get("http://127.0.0.1:" + server.metricsPort() + "/metrics");
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(scraped.body())
          .contains("latchkey_logins_total")
          .contains("jvm_memory_used_bytes");

      HttpResponse<String> publicPort = get(server.baseUrl() + "/metrics");
      assertThat(publicPort.statusCode()).isEqualTo(404);
      assertThat(publicPort.body()).doesNotContain("latchkey_logins_total");
      // the metrics port serves nothing else
      assertThat(
              get("http://127.0.0.1:" + server.metricsPort() + "/.well-known/jwks.json")
                  .statusCode())
          .isEqualTo(404);
    }
  }

  /** Issue 21 item 13: the public port never serves the metrics, whatever the config. */
  @Test
  void byDefaultThePublicPortServesNoMetrics() {
    AuthServerConfig config = TestDatabase.H2.freshConfig(tempDir);
    try (AuthServer server = AuthServer.start(config)) {
      assertThat(server.metricsPort()).as("no metrics server unless asked").isEqualTo(-1);
      HttpResponse<String> publicPort = get(server.baseUrl() + "/metrics");
      assertThat(publicPort.statusCode()).isEqualTo(404);
      assertThat(publicPort.body()).contains("not_found").doesNotContain("jvm_memory");
    }
  }

  /** The metrics server binds loopback even when the public port listens on every interface. */
  @Test
  void theMetricsServerListensOnLoopbackOnly() throws Exception {
    AuthServerConfig config = TestDatabase.H2.freshConfig(tempDir);
    config = config.withHttp(config.http().withAddress("0.0.0.0", 0).withMetricsPort(0));
    assertThat(config.http().metricsHost()).isEqualTo("127.0.0.1");
    try (AuthServer server = AuthServer.start(config)) {
      assertThat(get(TestHttp.metricsUrl(server)).statusCode()).isEqualTo(200);
      assertThat(get("http://127.0.0.1:" + server.port() + "/metrics").statusCode()).isEqualTo(404);
      Optional<InetAddress> external = nonLoopbackAddress();
      if (external.isPresent()) { // the public port is reachable there, the metrics port is not
        assertThat(reachable(external.get(), server.port())).isTrue();
        assertThat(reachable(external.get(), server.metricsPort())).isFalse();
      }
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
    return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
        .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .findFirst();
  }

  private static boolean reachable(InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 2000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void livenessAndReadinessAreSeparate() {
    AuthServerConfig config = TestDatabase.H2.freshConfig(tempDir);
    try (AuthServer server = AuthServer.start(config)) {
      HttpResponse<String> live = get(server.baseUrl() + "/health/live");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.body()).contains("\"status\":\"up\"");

      HttpResponse<String> ready = get(server.baseUrl() + "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body())
          .contains("\"database\":\"up\"")
          .contains("\"migrations\":\"applied\"")
          .contains("\"activeKey\"");
      assertThat(get(server.baseUrl() + "/health").body()).isEqualTo(ready.body());
    }
  }
}
