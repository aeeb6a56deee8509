package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.http.HttpSettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CORS: an exact allow-list with credentials, never a wildcard. */
class CorsTest {
  @TempDir static Path tempDir;
  static AuthServer server;

  @BeforeAll
  static void start() {
    AuthServerConfig config = TestDatabase.H2.freshConfig(tempDir);
    server =
        AuthServer.start(
            config.withHttp(config.http().withCorsOrigins(List.of("http://localhost:8080"))));
    server.store().users().add("ada@example.com", "correct horse battery".toCharArray());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void allowedOriginGetsCredentialedCorsHeaders() {
    HttpResponse<String> r =
        TestHttp.postJson(
            server.loginUrl(),
            TestHttp.credentials("ada@example.com", "correct horse battery"),
            "Origin",
            "http://localhost:8080");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("http://localhost:8080");
    assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
    assertThat(r.headers().allValues("Vary")).contains("Origin");
    // a DPoP client reads the server nonce and the challenge asking for it
    assertThat(r.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
        .contains("DPoP-Nonce")
        .contains("WWW-Authenticate");
  }

  @Test
  void preflightFromAllowedOrigin() {
    HttpResponse<String> r = preflight("http://localhost:8080");

    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("http://localhost:8080");
    assertThat(r.headers().firstValue("Access-Control-Allow-Methods").orElseThrow())
        .contains("POST");
    assertThat(r.headers().firstValue("Access-Control-Allow-Headers"))
        .contains("content-type, dpop");
    assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
  }

  @Test
  void otherOriginsGetNoCorsHeaders() {
    for (String origin :
        List.of(
            "http://evil.example", "http://localhost:8081", "null", "http://localhost:8080.evil")) {
      HttpResponse<String> r = preflight(origin);
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

      HttpResponse<String> get = TestHttp.get(server.jwksUrl(), "Origin", origin);
      assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
  }

  @Test
  void wildcardOriginsAreRefusedByConfiguration() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> HttpSettings.defaults().withCorsOrigins(List.of("*")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static HttpResponse<String> preflight(String origin) {
    return TestHttp.send(
        HttpRequest.newBuilder(URI.create(server.loginUrl()))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type, DPoP")
            .build());
  }
}
