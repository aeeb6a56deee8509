package dev.latchkey.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/admin/progress}: every user's completions, for tokens with role admin only. */
class AdminProgressTest {
  private static final HttpClient http = HttpClient.newHttpClient();

  @TempDir static Path dataDir;
  private static RunningSystem system;

  @BeforeAll
  static void start() {
    system = RunningSystem.start(dataDir, Duration.ofHours(2), "body");
  }

  @AfterAll
  static void stop() {
    if (system != null) system.close();
  }

  private static HttpResponse<String> send(String method, String path, String token)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(system.app.baseUrl() + path))
            .header("Authorization", "Bearer " + token)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void adminsSeeEveryonesCompletionsAndOthersGet403InsufficientScope() throws Exception {
    var student = system.auth.store().issueToken(RunningSystem.EMAIL);
    String admin = system.auth.store().issueToken(RunningSystem.ADMIN_EMAIL).token();
    assertThat(send("PUT", "/api/lessons/3/completion", student.token()).statusCode())
        .isEqualTo(200);

    HttpResponse<String> denied = send("GET", "/api/admin/progress", student.token());
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"insufficient_scope\"");
    assertThat(denied.body()).contains("\"error\":\"insufficient_scope\"");

    HttpResponse<String> progress = send("GET", "/api/admin/progress", admin);
    assertThat(progress.statusCode()).isEqualTo(200);
    String studentId = system.auth.store().users().idOf(RunningSystem.EMAIL);
    assertThat(progress.body()).contains("\"" + studentId + "\":[3]");
  }
}
