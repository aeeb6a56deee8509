package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.json;
import static dev.latchkey.server.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every malformed request gets a 4xx with {@code {"error", "message"}}, never a 5xx. */
class BadInputTest {
  @TempDir static Path tempDir;
  static AuthServer server;

  @BeforeAll
  static void start() {
    AuthServerConfig config = TestDatabase.H2.freshConfig(tempDir);
    server = AuthServer.start(config.withHttp(config.http().withSignupEnabled(true)));
    server.store().users().add("ada@example.com", "correct horse battery".toCharArray());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> post(String path, String contentType, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b.build());
  }

  private static void assertError(HttpResponse<String> r, int status, String error) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode body = json(r);
    assertThat(body.get("error").asText()).isEqualTo(error);
    assertThat(body.get("message").asText()).isNotBlank();
    assertThat(r.body()).doesNotContain("Exception", "\tat ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/login", "/api/signup"})
  void malformedBodiesAre400(String path) {
    String[] bodies = {
      "",
      "{",
      "not json",
      "[]",
      "\"a string\"",
      "null",
      "{\"email\":\"ada@example.com\"}",
      "{\"password\":\"correct horse battery\"}",
      "{\"email\":1,\"password\":\"correct horse battery\"}",
      "{\"email\":\"ada@example.com\",\"password\":null}",
      "{\"email\":\"ada@example.com\",\"password\":[\"x\"]}",
      "{\"email\":\"ada@example.com\",\"password\":{\"x\":1}}",
      "{\"email\":\"ada@example.com\",\"password\":\"correct horse battery\",\"admin\":true}",
      "{\"email\":\"ada@example.com\",\"email\":\"b@example.com\",\"password\":\"x\"}",
      "{\"email\":\"ada@example.com\",\"password\":\"correct horse battery\"} trailing",
      "{\"email\":\"ada@example.com\",\"password\":\"" + "x".repeat(5000) + "\"}",
      "{\"email\":\"" + "a".repeat(2000) + "@example.com\",\"password\":\"correct horse\"}",
      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    };
    for (String body : bodies) {
      assertError(post(path, "application/json", body), 400, "invalid_request");
    }
  }

  @Test
  void invalidUtf8Is400() {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.loginUrl()))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    new byte[] {'{', '"', 'e', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}))
            .build();
    assertError(send(request), 400, "invalid_request");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/login", "/api/signup"})
  void wrongContentTypeIs415(String path) {
    String body = TestHttp.credentials("ada@example.com", "correct horse battery");
    assertError(post(path, "text/plain", body), 415, "unsupported_media_type");
    assertError(
        post(path, "application/x-www-form-urlencoded", "email=a&password=b"),
        415,
        "unsupported_media_type");
    assertError(post(path, null, body), 415, "unsupported_media_type");
  }

  @Test
  void jsonWithCharsetIsAccepted() {
    HttpResponse<String> r =
        post(
            "/api/login",
            "application/json; charset=UTF-8",
            TestHttp.credentials("ada@example.com", "correct horse battery"));
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/login", "/api/signup"})
  void bodiesOver64KiBAre413(String path) {
    String huge = "{\"email\":\"" + "a".repeat(70_000) + "\",\"password\":\"x\"}";
    HttpResponse<String> r = post(path, "application/json", huge);
    assertError(r, 413, "payload_too_large");
    // The connection is not reused: the next request on it would read no answer.
    assertThat(r.headers().firstValue("Connection")).hasValue("close");
  }

  @Test
  void chunkedBodyOver64KiBIs413() {
    byte[] chunk = new byte[16 * 1024];
    java.util.Arrays.fill(chunk, (byte) 'a');
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.loginUrl()))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () ->
                        new java.io.SequenceInputStream(
                            java.util.Collections.enumeration(
                                java.util.stream.Stream.generate(
                                        () ->
                                            (java.io.InputStream)
                                                new java.io.ByteArrayInputStream(chunk))
                                    .limit(6)
                                    .toList()))))
            .build();
    assertError(send(request), 413, "payload_too_large");
  }

  @Test
  void unknownPathsAndMethodsAreJson404() {
    assertError(TestHttp.get(server.baseUrl() + "/nope"), 404, "not_found");
    assertError(TestHttp.get(server.loginUrl()), 404, "not_found");
    assertError(post("/.well-known/jwks.json", "application/json", "{}"), 404, "not_found");
  }

  @Test
  void errorsJettyAnswersBeforeRoutingAreJsonToo() {
    // A NUL in the path is refused by Jetty before any route runs.
    for (String path : new String[] {"/api/lessons/%00/completion", "/api/%2e%2e/%00"}) {
      HttpResponse<String> r = TestHttp.get(server.baseUrl() + path);
      assertError(r, 400, "bad_request");
      // Jetty closes the connection after it: a client told so does not send a POST on it next
      assertThat(r.headers().firstValue("Connection")).hasValue("close");
      assertThat(post("/api/login", "application/json", "{}").statusCode()).isEqualTo(400);
    }
  }

  /**
   * An address a mail library could read as another recipient is refused at sign-up (no account, no
   * mail), and logging in with it is answered as an unknown address is.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "Eve <eve@example.com>",
        "eve@example.com, ada@example.com",
        "team:eve@example.com;@example.com",
        "eve(x)@example.com",
        "\"eve,x\"@example.com",
        "eve@[127.0.0.1]"
      })
  void anAddressThatIsNotOnePlainAddressIsRefused(String email) {
    // each case its own unknown address: the account counter stays below its threshold
    assertError(
        post("/api/signup", "application/json", TestHttp.credentials(email, "a long sign-up pass")),
        400,
        "invalid_email");
    HttpResponse<String> unknown =
        post(
            "/api/login",
            "application/json",
            TestHttp.credentials(
                "nobody-" + Integer.toHexString(email.hashCode()) + "@example.com",
                "a long sign-up pass"));
    HttpResponse<String> malformed =
        post("/api/login", "application/json", TestHttp.credentials(email, "a long sign-up pass"));
    assertThat(malformed.statusCode()).isEqualTo(unknown.statusCode()).isEqualTo(401);
    assertThat(malformed.body()).isEqualTo(unknown.body());
  }

  @Test
  void serverKeepsWorkingAfterBadInput() {
    malformedBodiesAre400("/api/login");
    HttpResponse<String> r = TestHttp.login(server, "ada@example.com", "correct horse battery");
    assertThat(r.statusCode()).isEqualTo(200);
  }
}
