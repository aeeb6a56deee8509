package dev.latchkey.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.spring.testing.AppClient;
import dev.latchkey.spring.testing.AuthServerFixture;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The sample on a random port in front of a real auth server, through HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTest {
  private static AuthServerFixture auth;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void latchkey(DynamicPropertyRegistry registry) {
    auth = AuthServerFixture.start();
    registry.add("latchkey.issuer-uri", auth::issuer);
  }

  @AfterAll
  static void stop() {
    auth.close();
  }

  private HttpResponse<String> send(String method, String path, String... headers)
      throws Exception {
    return new AppClient(port).send(method, path, headers);
  }

  @Test
  void statusIsOpenAndLessonsNeedAToken() throws Exception {
    assertThat(send("GET", "/api/status").body()).contains("\"status\":\"ok\"");

    HttpResponse<String> refused = send("GET", "/api/lessons");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("\"error\":\"missing_token\"");

    String token = auth.issue(AuthServerFixture.STUDENT).token();
    HttpResponse<String> lessons = send("GET", "/api/lessons", "Authorization", "Bearer " + token);
    assertThat(lessons.statusCode()).isEqualTo(200);
    assertThat(lessons.body()).contains("\"title\":\"What a JWT is\"", "\"completed\":false");
  }

  @Test
  void completionsShowInTheAdminProgressWhichOnlyAdminsSee() throws Exception {
    String student = "Bearer " + auth.issue(AuthServerFixture.STUDENT).token();
    String admin = "Bearer " + auth.issue(AuthServerFixture.ADMIN).token();

    assertThat(send("PUT", "/api/lessons/2/completion", "Authorization", student).statusCode())
        .isEqualTo(200);
    assertThat(send("PUT", "/api/lessons/99/completion", "Authorization", student).statusCode())
        .isEqualTo(404);
    HttpResponse<String> denied = send("GET", "/api/admin/progress", "Authorization", student);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).contains("\"error\":\"insufficient_scope\"");
    HttpResponse<String> progress = send("GET", "/api/admin/progress", "Authorization", admin);
    assertThat(progress.statusCode()).isEqualTo(200);
    assertThat(progress.body()).contains("[2]");
  }

  @Test
  void theAngularClientsOriginMayCallTheApi() throws Exception {
    HttpResponse<String> preflight =
        send(
            "OPTIONS",
            "/api/lessons",
            "Origin",
            "http://localhost:8080",
            "Access-Control-Request-Method",
            "GET",
            "Access-Control-Request-Headers",
            "authorization,dpop");
    HttpResponse<String> refused =
        send("GET", "/api/lessons", "Origin", "http://localhost:8080", "Authorization", "DPoP x");

    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("http://localhost:8080");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
        .containsIgnoringCase("dpop");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
        .as("the page reads the challenge, the server's DPoP nonce and a 503's wait")
        .contains("WWW-Authenticate", "DPoP-Nonce", "Retry-After");
    assertThat(
            send(
                    "OPTIONS",
                    "/api/lessons",
                    "Origin",
                    "https://evil.example",
                    "Access-Control-Request-Method",
                    "GET")
                .statusCode())
        .isEqualTo(403);
  }
}
