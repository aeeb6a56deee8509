package dev.latchkey.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo server's routes over real HTTP, without an auth server behind it. */
class DemoServerTest {

  private static final HttpClient http = HttpClient.newHttpClient();
  private static DemoServer server;

  @BeforeAll
  static void start() {
    server =
        DemoServer.start(
            DemoConfig.defaults().withPort(0).withAuthUrl(URI.create("http://127.0.0.1:9")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> get(String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void errorsJettyAnswersBeforeRoutingAreJson() throws Exception {
    HttpResponse<String> response = get("/api/lessons/%00/completion");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/json");
    assertThat(response.body())
        .isEqualTo("{\"error\":\"bad_request\",\"message\":\"The request is malformed.\"}");
  }

  @Test
  void statusIsOpen() throws Exception {
    HttpResponse<String> response = get("/api/status");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"status\":\"ok\"");
  }

  @Test
  void everyAnswerSendsNoReferrer() throws Exception {
    for (String path : new String[] {"/", "/verify-email", "/api/status", "/api/lessons"}) {
      assertThat(get(path).headers().firstValue("Referrer-Policy"))
          .as(path)
          .hasValue("no-referrer");
    }
  }

  @Test
  void lessonsWithoutATokenAre401WithAChallengeAndNoErrorCode() throws Exception {
    HttpResponse<String> response = get("/api/lessons");
    assertThat(response.statusCode()).isEqualTo(401);
    String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow();
    assertThat(challenge).startsWith("Bearer").doesNotContain("error=");
    assertThat(response.body()).contains("\"error\"");
  }

  @Test
  void lessonsWithAGarbageTokenAre401InvalidToken() throws Exception {
    HttpResponse<String> response = get("/api/lessons", "Authorization", "Bearer not.a.jwt");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"invalid_token\"");
    assertThat(response.body()).contains("malformed");
  }

  @Test
  void metricsExportTheVerifierCountersAfterARealRejection() throws Exception {
    get("/api/lessons", "Authorization", "Bearer not.a.jwt");
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("latchkey_verifier_verifications_total{outcome=\"accepted\",reason=\"none\"}")
        .containsPattern(
            "latchkey_verifier_verifications_total\\{outcome=\"rejected\",reason=\"[a-z_]+\"\\}"
                + " [1-9]")
        .contains("latchkey_verifier_cache_hits_total")
        .contains("latchkey_verifier_jwks_fetches_total{outcome=\"failed\"}")
        .contains("latchkey_verifier_revocation_feed_age_seconds")
        .contains("jvm_memory_used_bytes");
  }

  @Test
  void aMetricsPortServesTheMetricsThereAndNotOnTheApplicationsPort() throws Exception {
    try (DemoServer separate =
        DemoServer.start(
            DemoConfig.defaults()
                .withPort(0)
                .withAuthUrl(URI.create("http://127.0.0.1:9"))
                .withMetricsPort(0))) {
      assertThat(separate.metricsPort()).isPositive().isNotEqualTo(separate.port());
      HttpResponse<String> scraped =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://localhost:" + separate.metricsPort() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(scraped.body()).contains("latchkey_verifier_verifications_total");
      HttpResponse<String> publicPort =
          http.send(
              HttpRequest.newBuilder(URI.create(separate.baseUrl() + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(publicPort.body()).doesNotContain("latchkey_verifier");
    }
    assertThat(server.metricsPort()).isEqualTo(-1);
  }

  @Test
  void clientConfigNamesTheAuthServerAndThisOriginOnly() throws Exception {
    HttpResponse<String> response = get("/config.json");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("\"authUrl\":\"http://127.0.0.1:9\"")
        .contains("\"apiOrigins\":[\"" + server.baseUrl() + "\"]")
        .contains("\"delivery\":\"body\"")
        .contains("\"dpop\":true") // body mode binds sessions to the browser's key
        .doesNotContain("codeFlow");
  }

  @Test
  void inCodeFlowModeTheClientConfigNamesTheClientAndTurnsDpopOff() throws Exception {
    try (DemoServer codeFlow =
        DemoServer.start(
            DemoConfig.defaults()
                .withPort(0)
                .withAuthUrl(URI.create("http://127.0.0.1:9"))
                .withCodeFlowClientId("latchkey-demo"))) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(codeFlow.baseUrl() + "/config.json")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.body())
          .contains("\"codeFlow\":{\"clientId\":\"latchkey-demo\"}")
          .contains("\"dpop\":false"); // /token is called without a proof
    }
  }

  @Test
  void theCodeFlowNeedsBodyDelivery() {
    assertThatThrownBy(
            () ->
                DemoConfig.defaults().withDelivery("cookie").withCodeFlowClientId("latchkey-demo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delivery 'body'");
  }
}
