package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 22: a signed-in user's TOTP enrolment, removal and recovery codes over real HTTP. */
class SecondFactorRoutesTest {
  static final String EMAIL = SecondStepTest.EMAIL;
  static final String PASSWORD = SecondStepTest.PASSWORD;

  @TempDir Path tempDir;
  private final MutableClock clock = MutableClock.startingNow();
  private final List<AuthServerConfig> dropLater = new ArrayList<>();

  @AfterEach
  void dropSchemas() {
    dropLater.forEach(TestDatabase::dropSchema);
  }

  private AuthServer start(TestDatabase db) {
    AuthServerConfig config = TestDatabase.quiet(db.freshConfig(tempDir)).withClock(clock);
    dropLater.add(config);
    AuthServer server = AuthServer.start(config);
    server.store().users().add(EMAIL, PASSWORD.toCharArray());
    return server;
  }

  private static HttpResponse<String> call(
      AuthServer server, String method, String path, String token, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return TestHttp.send(b.build());
  }

  private static String signIn(AuthServer server) {
    HttpResponse<String> r = TestHttp.login(server, EMAIL, PASSWORD);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).get("idToken").asText();
  }

  private String code(String secret) {
    return TestTotp.code(secret, clock.instant(), 0);
  }

  private static void assertError(HttpResponse<String> r, int status, String error) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    assertThat(json(r).get("error").asText()).isEqualTo(error);
  }

  /** Enrols TOTP over HTTP; the step of the confirmation is then passed. */
  private String enrol(AuthServer server, String token) {
    HttpResponse<String> started = call(server, "POST", "/api/mfa/totp", token, null);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    String secret = json(started).get("secret").asText();
    HttpResponse<String> confirmed =
        call(server, "POST", "/api/mfa/totp/confirm", token, "{\"code\":\"" + code(secret) + "\"}");
    assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(30));
    return secret;
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void enrolmentIsOnOnlyOnceACodeConfirmsIt(TestDatabase db) {
    try (AuthServer server = start(db)) {
      assertError(call(server, "GET", "/api/mfa", null, null), 401, "unauthorized");
      assertError(call(server, "POST", "/api/mfa/totp", "not-a-token", null), 401, "unauthorized");
      String token = signIn(server);
      assertThat(call(server, "GET", "/api/mfa", token, null).body())
          .isEqualTo("{\"totp\":false,\"passkeys\":[],\"recoveryCodesLeft\":0}");

      HttpResponse<String> started = call(server, "POST", "/api/mfa/totp", token, null);
      assertThat(started.statusCode()).isEqualTo(200);
      assertThat(started.headers().firstValue("Cache-Control")).contains("no-store");
      String secret = json(started).get("secret").asText();
      assertThat(secret).matches("[A-Z2-7]{32}");
      assertThat(json(started).get("otpauthUri").asText())
          .startsWith("otpauth://totp/Latchkey:ada@example.com?secret=" + secret);
      // a new start replaces the pending secret
      String replaced =
          json(call(server, "POST", "/api/mfa/totp", token, null)).get("secret").asText();
      assertThat(replaced).isNotEqualTo(secret);

      String wrong = code(secret);
      assertError(
          call(server, "POST", "/api/mfa/totp/confirm", token, "{\"code\":\"" + wrong + "\"}"),
          401,
          "invalid_code");
      assertError(
          call(server, "POST", "/api/mfa/totp/confirm", token, "{}"), 400, "invalid_request");
      assertThat(json(call(server, "GET", "/api/mfa", token, null)).get("totp").asBoolean())
          .isFalse();
      assertThat(TestHttp.login(server, EMAIL, PASSWORD).body()).contains("idToken");

      HttpResponse<String> confirmed =
          call(
              server,
              "POST",
              "/api/mfa/totp/confirm",
              token,
              "{\"code\":\"" + code(replaced) + "\"}");
      assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
      JsonNode codes = json(confirmed).get("recoveryCodes");
      assertThat(codes).hasSize(10);
      assertThat(call(server, "GET", "/api/mfa", token, null).body())
          .isEqualTo("{\"totp\":true,\"passkeys\":[],\"recoveryCodesLeft\":10}");
      assertThat(json(TestHttp.login(server, EMAIL, PASSWORD)).get("mfaRequired").asBoolean())
          .isTrue();
      assertError(call(server, "POST", "/api/mfa/totp", token, null), 409, "totp_already_enabled");
      assertError(
          call(server, "POST", "/api/mfa/totp/confirm", token, "{\"code\":\"123456\"}"),
          409,
          "no_pending_enrolment");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void recoveryCodesAreRegeneratedWithACurrentCode(TestDatabase db) {
    try (AuthServer server = start(db)) {
      String token = signIn(server);
      String secret = enrol(server, token);
      String recovery =
          server
              .store()
              .secondFactors()
              .regenerateRecoveryCodes(server.store().users().account(EMAIL).orElseThrow().id())
              .get(0);

      assertError(
          call(server, "POST", "/api/mfa/recovery-codes", token, "{\"code\":\"" + recovery + "\"}"),
          401,
          "invalid_code");
      HttpResponse<String> fresh =
          call(
              server,
              "POST",
              "/api/mfa/recovery-codes",
              token,
              "{\"code\":\"" + code(secret) + "\"}");
      assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(200);
      assertThat(json(fresh).get("recoveryCodes")).hasSize(10);
      assertThat(fresh.body()).doesNotContain(recovery);
      // the unused old code was not spent by the refused call, but is void now
      assertThat(
              server
                  .store()
                  .secondFactors()
                  .verify(server.store().users().account(EMAIL).orElseThrow().id(), recovery))
          .isNotInstanceOf(dev.latchkey.server.mfa.SecondStep.Passed.class);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void removalTakesACurrentCodeOrThePassword(TestDatabase db) {
    try (AuthServer server = start(db)) {
      String token = signIn(server);
      assertError(
          call(server, "DELETE", "/api/mfa/totp", token, "{\"password\":\"" + PASSWORD + "\"}"),
          409,
          "totp_not_enabled");
      String secret = enrol(server, token);

      assertError(call(server, "DELETE", "/api/mfa/totp", token, "{}"), 400, "invalid_request");
      assertError(
          call(
              server,
              "DELETE",
              "/api/mfa/totp",
              token,
              "{\"code\":\"1\",\"password\":\"" + PASSWORD + "\"}"),
          400,
          "invalid_request");
      assertError(
          call(server, "DELETE", "/api/mfa/totp", token, "{\"password\":\"wrong password!\"}"),
          403,
          "wrong_password");
      assertError(
          call(server, "DELETE", "/api/mfa/totp", token, "{\"code\":\"ABCDE-FGHIJ\"}"),
          401,
          "invalid_code");

      HttpResponse<String> removed =
          call(server, "DELETE", "/api/mfa/totp", token, "{\"code\":\"" + code(secret) + "\"}");
      assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
      assertThat(removed.body())
          .isEqualTo("{\"totp\":false,\"passkeys\":[],\"recoveryCodesLeft\":0}");
      assertThat(TestHttp.login(server, EMAIL, PASSWORD).body()).contains("idToken");

      enrol(server, token);
      HttpResponse<String> byPassword =
          call(server, "DELETE", "/api/mfa/totp", token, "{\"password\":\"" + PASSWORD + "\"}");
      assertThat(byPassword.statusCode()).as(byPassword.body()).isEqualTo(200);
      assertThat(json(byPassword).get("totp").asBoolean()).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void wrongCodesAreThrottled(TestDatabase db) {
    try (AuthServer server = start(db)) {
      String token = signIn(server);
      String secret = enrol(server, token);
      String wrong = code(secret).equals("000000") ? "111111" : "000000";
      for (int i = 0; i < 5; i++) {
        assertError(
            call(server, "DELETE", "/api/mfa/totp", token, "{\"code\":\"" + wrong + "\"}"),
            401,
            "invalid_code");
      }
      HttpResponse<String> locked =
          call(server, "DELETE", "/api/mfa/totp", token, "{\"code\":\"" + code(secret) + "\"}");
      assertError(locked, 429, "too_many_attempts");
      assertThat(locked.headers().firstValue("Retry-After")).isPresent();
      assertThat(json(call(server, "GET", "/api/mfa", token, null)).get("totp").asBoolean())
          .isTrue();
    }
  }
}
