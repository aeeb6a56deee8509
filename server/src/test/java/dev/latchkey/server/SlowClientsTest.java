package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.credentials;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.testing.Tricklers;
import dev.latchkey.verifier.javalin.SlowClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients cannot take the auth server down: while 300 connections trickle request bodies a
 * byte at a time, the JWKS, login and health endpoints still answer within a second, and the
 * tricklers are cut off once their grace has passed.
 */
class SlowClientsTest {
  private static final String EMAIL = "ada@example.com";
  private static final String PASSWORD = "correct horse battery staple";
  private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);

  @TempDir Path tempDir;
  private AuthServerConfig config;

  @AfterEach
  void dropSchema() {
    TestDatabase.dropSchema(config);
  }

  @Test
  void jwksLoginAndHealthAnswerWhile300ConnectionsTrickleBodies() throws Exception {
    config = TestDatabase.H2.freshConfig(tempDir);
    HttpSettings http =
        config
            .http()
            .withSlowClients(SlowClients.defaults().withMinDataRate(1024, Duration.ofMillis(1500)));
    try (AuthServer server = AuthServer.start(config.withHttp(http))) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      URI base = URI.create(server.baseUrl());
      HttpClient client = HttpClient.newHttpClient();
      HttpRequest warmUp =
          HttpRequest.newBuilder(base.resolve("/.well-known/jwks.json"))
              .timeout(Duration.ofSeconds(30))
              .build();
      assertThat(answer(client, warmUp)).isEqualTo(200);
      try (Tricklers slow =
          Tricklers.start(base.getHost(), base.getPort(), "POST", "/api/login", 300, 500)) {
        int rounds =
            slow.checkRepeatedly(
                Duration.ofSeconds(4),
                () -> {
                  assertThat(answer(client, get(base, "/.well-known/jwks.json"))).isEqualTo(200);
                  assertThat(answer(client, get(base, "/health"))).isEqualTo(200);
                  assertThat(answer(client, login(base))).isEqualTo(200);
                });
        assertThat(rounds).isGreaterThan(3);
        assertThat(slow.answered408()).as("tricklers answered 408 after the grace").isPositive();
      }
    }
  }

  private static HttpRequest login(URI base) {
    return HttpRequest.newBuilder(base.resolve("/api/login"))
        .timeout(WITHIN_A_SECOND)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(credentials(EMAIL, PASSWORD)))
        .build();
  }

  private static HttpRequest get(URI base, String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(WITHIN_A_SECOND).GET().build();
  }

  /** The status of an answer that came within the request's timeout (else the send throws). */
  private static int answer(HttpClient client, HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
