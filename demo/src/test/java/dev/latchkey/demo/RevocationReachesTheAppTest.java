package dev.latchkey.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * A logout reaches the stateless application server through the auth server's revocation feed: the
 * token still has hours to live, yet the API refuses it within the revocation bound (poll interval
 * + feed max-age, {@link RunningSystem#REVOCATION}) plus one poll interval.
 */
class RevocationReachesTheAppTest {

  private static final HttpClient http = HttpClient.newHttpClient();
  private static final ObjectMapper json = new ObjectMapper();

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

  private static String logIn() throws Exception {
    String body =
        "{\"email\":\""
            + RunningSystem.EMAIL
            + "\",\"password\":\""
            + RunningSystem.PASSWORD
            + "\"}";
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(system.auth.baseUrl() + "/api/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return json.readTree(response.body()).get("idToken").asText();
  }

  private static HttpResponse<String> lessons(String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(system.app.baseUrl() + "/api/lessons"))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(system.auth.baseUrl() + path))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The API's 401 to this token, within the revocation bound counted from {@code since}. */
  private static HttpResponse<String> awaitRefusal(long since, String token) throws Exception {
    return RunningSystem.REVOCATION.awaitStatus(since, 401, () -> lessons(token));
  }

  @Test
  void aLogoutClosesTheApiToThatSessionOnly() throws Exception {
    String loggedOut = logIn();
    String other = logIn();
    assertThat(lessons(loggedOut).statusCode()).isEqualTo(200);

    assertThat(post("/api/logout", loggedOut).statusCode()).isEqualTo(204);
    long since = System.nanoTime();

    HttpResponse<String> refused = awaitRefusal(since, loggedOut);
    assertThat(refused.statusCode()).isEqualTo(401);
    JsonNode error = json.readTree(refused.body());
    assertThat(error.get("error").asText()).isEqualTo("revoked");
    assertThat(lessons(other).statusCode()).isEqualTo(200);
  }

  @Test
  void logoutEverywhereClosesEverySessionOfTheUser() throws Exception {
    String first = logIn();
    String second = logIn();
    assertThat(lessons(first).statusCode()).isEqualTo(200);

    assertThat(system.auth.store().sessionRevocation().revokeAllForUser(RunningSystem.EMAIL))
        .isGreaterThanOrEqualTo(2);
    long since = System.nanoTime();

    assertThat(awaitRefusal(since, first).statusCode()).isEqualTo(401);
    assertThat(awaitRefusal(since, second).statusCode()).isEqualTo(401);
  }
}
