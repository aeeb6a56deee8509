package dev.latchkey.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.verifier.JwtVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load harnesses measure real work only if their logins and requests succeed. */
class LoadHarnessTest {
  @Test
  void loginLoadLogsInAtEveryLevelAndItsTokenVerifies() throws Exception {
    LoginLoad.Options cheap =
        new LoginLoad.Options(
            new int[] {1, 2}, 6, Duration.ofSeconds(20), 1, 3, new Argon2Params(64, 1, 1));
    AtomicReference<String> subject = new AtomicReference<>();
    LoginLoad.Report report =
        LoginLoad.run(
            cheap,
            r -> {
              try (JwtVerifier verifier =
                  JwtVerifier.withJwksUrl(URI.create(r.jwksUrl()))
                      .issuer(r.jwksUrl().replace("/.well-known/jwks.json", ""))
                      .audience("latchkey-demo")
                      .build()) {
                subject.set(verifier.verify(r.sampleToken()).subject());
              }
            });
    assertThat(subject.get()).isNotBlank();
    assertThat(report.levels()).hasSize(2);
    for (LoginLoad.Level level : report.levels()) {
      assertThat(level.statuses()).isEqualTo(Map.of(200, 6));
      assertThat(level.p99Ms()).isGreaterThanOrEqualTo(level.p50Ms()).isPositive();
      assertThat(level.hashMs()).isPositive();
    }
  }

  @Test
  void percentilesAreNearestRank() {
    long[] sorted = new long[100];
    for (int i = 0; i < 100; i++) {
      sorted[i] = i + 1;
    }
    assertThat(LoginLoad.percentile(sorted, 50)).isEqualTo(50);
    assertThat(LoginLoad.percentile(sorted, 99)).isEqualTo(99);
    assertThat(LoginLoad.percentile(new long[] {7}, 99)).isEqualTo(7);
  }

  @Test
  void lessonsServersOpenLessonsOnlyWithTheToken() throws Exception {
    try (LessonsServers s = LessonsServers.start()) {
      HttpClient client = HttpClient.newHttpClient();
      for (String base :
          new String[] {s.demo.baseUrl(), s.cached.baseUrl(), s.uncached.baseUrl()}) {
        assertThat(status(client, base + "/api/lessons", s.token)).isEqualTo(200);
        assertThat(status(client, base + "/api/lessons", null)).isEqualTo(401);
        assertThat(status(client, base + "/api/status", null)).isEqualTo(200);
      }
      for (String base : new String[] {s.cached.baseUrl(), s.uncached.baseUrl()}) {
        assertThat(status(client, base + "/api/lessons-open", null)).isEqualTo(200);
      }
      assertThat(status(client, s.cached.baseUrl() + "/api/lessons", s.token)).isEqualTo(200);
      assertThat(s.cached.verifier.metrics().cacheHits()).isPositive();
      assertThat(status(client, s.uncached.baseUrl() + "/api/lessons", s.token)).isEqualTo(200);
      assertThat(s.uncached.verifier.metrics().cacheHits()).isZero();
      assertThat(s.uncached.verifier.metrics().accepted()).isEqualTo(2);
    }
  }

  @Test
  void distinctTokenServersWriteDistinctTokensThatBothDemoServersAccept(@TempDir Path dir)
      throws Exception {
    Path tokensFile = dir.resolve("tokens.txt");
    try (DistinctTokenServers s = DistinctTokenServers.start(tokensFile, 5)) {
      List<String> tokens = Files.readAllLines(tokensFile);
      assertThat(tokens).hasSize(5).doesNotHaveDuplicates();
      HttpClient client = HttpClient.newHttpClient();
      for (String base : DistinctTokenServers.baseUrls(s)) {
        for (String token : tokens) {
          assertThat(status(client, base + "/api/lessons", token)).isEqualTo(200);
        }
        assertThat(status(client, base + "/api/lessons", null)).isEqualTo(401);
        assertThat(status(client, base + "/api/status", tokens.get(0))).isEqualTo(200);
      }
    }
  }

  private static int status(HttpClient client, String url, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
