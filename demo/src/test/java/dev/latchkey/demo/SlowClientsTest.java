package dev.latchkey.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testing.Tricklers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients cannot take the demo application server down: while 300 connections trickle request
 * bodies a byte at a time, {@code GET /api/lessons} with a valid token and {@code /config.json}
 * still answer within a second, and the tricklers are cut off once the default grace has passed.
 */
class SlowClientsTest {
  private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);

  @TempDir Path dataDir;

  @Test
  void lessonsAndClientConfigAnswerWhile300ConnectionsTrickleBodies() throws Exception {
    try (RunningSystem system = RunningSystem.start(dataDir, Duration.ofHours(2), "body")) {
      String token = system.auth.store().issueToken(RunningSystem.EMAIL).token();
      URI base = URI.create(system.app.baseUrl());
      HttpClient client = HttpClient.newHttpClient();
      // the first verification fetches the auth server's keys: not timed
      HttpRequest warmUp =
          HttpRequest.newBuilder(base.resolve("/api/lessons"))
              .header("Authorization", "Bearer " + token)
              .timeout(Duration.ofSeconds(30))
              .build();
      assertThat(answer(client, warmUp)).isEqualTo(200);
      try (Tricklers slow =
          Tricklers.start(
              base.getHost(), base.getPort(), "PUT", "/api/lessons/1/completion", 300, 500)) {
        int rounds =
            slow.checkRepeatedly(
                Duration.ofSeconds(4),
                () -> {
                  assertThat(answer(client, lessons(base, token))).isEqualTo(200);
                  assertThat(answer(client, get(base, "/config.json"))).isEqualTo(200);
                });
        assertThat(rounds).isGreaterThan(3);
        // no route of the demo reads a body: a trickled body refused after the grace ends in the
        // route's own answer (the tricklers send no token), not in a 408
        assertThat(slow.cut()).as("tricklers cut off after the grace").isPositive();
      }
    }
  }

  private static HttpRequest lessons(URI base, String token) {
    return HttpRequest.newBuilder(base.resolve("/api/lessons"))
        .header("Authorization", "Bearer " + token)
        .timeout(WITHIN_A_SECOND)
        .GET()
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
