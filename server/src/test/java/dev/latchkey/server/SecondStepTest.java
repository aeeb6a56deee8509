package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.get;
import static dev.latchkey.server.TestHttp.json;
import static dev.latchkey.server.TestHttp.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.server.mfa.TotpEnrolment;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.testing.MutableClock;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 22: signing in with a second factor over real HTTP, on H2 and PostgreSQL: {@code POST
 * /api/login} answers the second step, {@code POST /api/login/mfa} finishes it from the same
 * browser, and the hosted page does both on one form.
 */
class SecondStepTest {
  static final String EMAIL = "ada@example.com";
  static final String PASSWORD = "correct horse battery staple";
  static final String BINDING = "__Host-latchkey-mfa";
  static final String REFRESH = "__Secure-latchkey-refresh";
  static final String DEVICE = "__Host-latchkey-device";

  @TempDir Path tempDir;
  private final MutableClock clock = MutableClock.startingNow();
  private final List<AuthServerConfig> dropLater = new ArrayList<>();
  private String userId;

  @AfterEach
  void dropSchemas() {
    dropLater.forEach(TestDatabase::dropSchema);
  }

  private AuthServer start(TestDatabase db) {
    AuthServerConfig fresh =
        TestHttp.withMetrics(TestDatabase.quiet(db.freshConfig(tempDir))).withClock(clock);
    AuthServerConfig config =
        fresh.withSessions(
            fresh
                .sessions()
                .withRefresh(
                    RefreshSettings.on(
                            Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(8))
                        .withMinInterval(Duration.ZERO))); // every refresh signs a new token
    dropLater.add(config);
    AuthServer server = AuthServer.start(config);
    userId = server.store().users().add(EMAIL, PASSWORD.toCharArray());
    return server;
  }

  /** TOTP on for the user, its step used up by the confirmation: the clock moves past it. */
  private Enrolled enrol(AuthServer server) {
    TotpEnrolment e = server.store().secondFactors().startTotpEnrolment(userId, EMAIL);
    List<String> codes =
        server
            .store()
            .secondFactors()
            .confirmTotp(userId, TestTotp.code(e.secret(), clock.instant(), 0));
    clock.advance(Duration.ofSeconds(30));
    return new Enrolled(e.secret(), codes);
  }

  record Enrolled(String secret, List<String> recoveryCodes) {}

  /** What the browser holds after the password step. */
  record Pending(String mfaToken, String binding, JsonNode body) {}

  private static Pending passwordStep(AuthServer server) {
    HttpResponse<String> r = TestHttp.login(server, EMAIL, PASSWORD);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new Pending(
        json(r).get("mfaToken").asText(),
        SetCookie.named(r, BINDING).orElseThrow().value(),
        json(r));
  }

  static HttpResponse<String> codeStep(
      AuthServer server, String mfaToken, String code, String cookieHeader) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("mfaToken", mfaToken);
    body.put("code", code);
    String json;
    try {
      json = TestHttp.JSON.writeValueAsString(body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return cookieHeader == null
        ? postJson(server.baseUrl() + "/api/login/mfa", json)
        : postJson(server.baseUrl() + "/api/login/mfa", json, "Cookie", cookieHeader);
  }

  private String now(Enrolled enrolled) {
    return TestTotp.code(enrolled.secret(), clock.instant(), 0);
  }

  private static List<String> amr(AuthServer server, String token) throws Exception {
    JWTClaimsSet claims = TestHttp.verify(server, token, "latchkey-demo");
    return claims.getStringListClaim("amr");
  }

  // ---- the API ---------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aPasswordAloneGetsNoSessionAndTheCodeFinishesTheSignIn(TestDatabase db) throws Exception {
    try (AuthServer server = start(db)) {
      Enrolled enrolled = enrol(server);

      HttpResponse<String> login = TestHttp.login(server, EMAIL, PASSWORD);
      assertThat(login.statusCode()).isEqualTo(200);
      JsonNode body = json(login);
      assertThat(body.get("mfaRequired").asBoolean()).isTrue();
      assertThat(body.get("mfaToken").asText()).matches("[A-Za-z0-9_-]{43}");
      assertThat(body.get("methods").toString()).isEqualTo("[\"totp\",\"recovery_code\"]");
      assertThat(body.has("idToken")).isFalse();
      assertThat(login.headers().firstValue("Cache-Control")).contains("no-store");
      // no session, XSRF, refresh or device cookie: only the one binding this browser
      assertThat(SetCookie.all(login)).hasSize(1);
      SetCookie binding = SetCookie.named(login, BINDING).orElseThrow();
      assertThat(binding.has("HttpOnly")).isTrue();
      assertThat(binding.has("Secure")).isTrue();
      assertThat(binding.attr("SameSite")).isEqualTo("Strict");
      assertThat(binding.attr("Path")).isEqualTo("/");
      assertThat(Long.parseLong(binding.attr("Max-Age"))).isBetween(1L, 300L);
      // only the hashes are stored
      String token = body.get("mfaToken").asText();
      assertThat(
              server
                  .store()
                  .database()
                  .queryOne(
                      "SELECT COUNT(*) FROM pending_sign_ins WHERE token_hash = ? OR binding_hash"
                          + " = ?",
                      rs -> rs.getInt(1),
                      token,
                      binding.value()))
          .contains(0);

      HttpResponse<String> done =
          codeStep(server, token, now(enrolled), BINDING + "=" + binding.value());
      assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
      String idToken = json(done).get("idToken").asText();
      assertThat(amr(server, idToken)).containsExactly("pwd", "otp", "mfa");
      assertThat(SetCookie.named(done, REFRESH)).isPresent();
      assertThat(SetCookie.named(done, DEVICE)).isPresent();
      assertThat(SetCookie.named(done, BINDING).orElseThrow().attr("Max-Age")).isEqualTo("0");

      // carried through refresh
      String refreshToken = SetCookie.named(done, REFRESH).orElseThrow().value();
      HttpResponse<String> refreshed =
          postJson(server.baseUrl() + "/api/refresh", "{}", "Cookie", REFRESH + "=" + refreshToken);
      assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
      String next = json(refreshed).get("idToken").asText();
      assertThat(next).isNotEqualTo(idToken);
      assertThat(amr(server, next)).containsExactly("pwd", "otp", "mfa");

      // the pending sign-in ended at its success
      HttpResponse<String> again =
          codeStep(server, token, now(enrolled), BINDING + "=" + binding.value());
      assertThat(again.statusCode()).isEqualTo(410);
      assertThat(json(again).get("error").asText()).isEqualTo("mfa_expired");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void withoutAFactorTheTokenSaysPasswordAndRefreshKeepsIt(TestDatabase db) throws Exception {
    try (AuthServer server = start(db)) {
      HttpResponse<String> login = TestHttp.login(server, EMAIL, PASSWORD);
      assertThat(login.statusCode()).isEqualTo(200);
      assertThat(amr(server, json(login).get("idToken").asText())).containsExactly("pwd");
      String refreshToken = SetCookie.named(login, REFRESH).orElseThrow().value();
      HttpResponse<String> refreshed =
          postJson(server.baseUrl() + "/api/refresh", "{}", "Cookie", REFRESH + "=" + refreshToken);
      String next = json(refreshed).get("idToken").asText();
      assertThat(next).isNotEqualTo(json(login).get("idToken").asText());
      assertThat(amr(server, next)).containsExactly("pwd");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void theStepIsBoundToTheBrowserAndExpires(TestDatabase db) {
    try (AuthServer server = start(db)) {
      Enrolled enrolled = enrol(server);
      Pending p = passwordStep(server);

      for (String cookie :
          new String[] {null, BINDING + "=not-this-browsers-binding", "other=" + p.binding()}) {
        HttpResponse<String> r = codeStep(server, p.mfaToken(), now(enrolled), cookie);
        assertThat(r.statusCode()).as(String.valueOf(cookie)).isEqualTo(410);
        assertThat(json(r).get("error").asText()).isEqualTo("mfa_expired");
      }
      HttpResponse<String> unknown =
          codeStep(server, "x".repeat(43), now(enrolled), BINDING + "=" + p.binding());
      assertThat(unknown.statusCode()).isEqualTo(410);

      clock.advance(Duration.ofMinutes(5).plusSeconds(1));
      HttpResponse<String> late =
          codeStep(server, p.mfaToken(), now(enrolled), BINDING + "=" + p.binding());
      assertThat(late.statusCode()).isEqualTo(410);
      assertThat(json(late).get("error").asText()).isEqualTo("mfa_expired");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void wrongCodesCountOnThePasswordThrottleAndEndThePendingSignIn(TestDatabase db) {
    try (AuthServer server = start(db)) {
      Enrolled enrolled = enrol(server);
      Pending p = passwordStep(server);
      String cookie = BINDING + "=" + p.binding();
      String wrong = now(enrolled).equals("000000") ? "111111" : "000000";

      // the account's threshold is 5: a right password did not clear what the codes count on
      for (int i = 0; i < 4; i++) {
        HttpResponse<String> r = codeStep(server, p.mfaToken(), wrong, cookie);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(json(r).get("error").asText()).isEqualTo("invalid_code");
      }
      Pending second = passwordStep(server); // a right password: still not cleared
      HttpResponse<String> fifth = codeStep(server, p.mfaToken(), wrong, cookie);
      assertThat(fifth.statusCode()).isEqualTo(401);
      // five wrong codes: the account is locked for a while, for codes and passwords alike
      HttpResponse<String> locked =
          codeStep(server, second.mfaToken(), now(enrolled), BINDING + "=" + second.binding());
      assertThat(locked.statusCode()).as(locked.body()).isEqualTo(429);
      assertThat(locked.headers().firstValue("Retry-After")).isPresent();
      assertThat(json(locked).get("error").asText()).isEqualTo("too_many_attempts");
      assertThat(TestHttp.login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(429);
      // and the pending sign-in of the five wrong codes is over
      clock.advance(Duration.ofMinutes(1));
      HttpResponse<String> over = codeStep(server, p.mfaToken(), now(enrolled), cookie);
      assertThat(over.statusCode()).isEqualTo(410);

      // once the lock ends, the right code of a live pending sign-in signs in and clears it
      HttpResponse<String> r =
          codeStep(server, second.mfaToken(), now(enrolled), BINDING + "=" + second.binding());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(passwordStep(server).body().get("mfaRequired").asBoolean()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aCodeIsAcceptedOncePerStepAndARecoveryCodeOnce(TestDatabase db) throws Exception {
    try (AuthServer server = start(db)) {
      Enrolled enrolled = enrol(server);
      String code = now(enrolled);
      Pending first = passwordStep(server);
      assertThat(codeStep(server, first.mfaToken(), code, BINDING + "=" + first.binding()))
          .extracting(HttpResponse::statusCode)
          .isEqualTo(200);
      Pending replay = passwordStep(server);
      HttpResponse<String> replayed =
          codeStep(server, replay.mfaToken(), code, BINDING + "=" + replay.binding());
      assertThat(replayed.statusCode()).isEqualTo(401);
      assertThat(json(replayed).get("error").asText()).isEqualTo("invalid_code");

      String recovery = enrolled.recoveryCodes().get(0);
      HttpResponse<String> withRecovery =
          codeStep(server, replay.mfaToken(), recovery, BINDING + "=" + replay.binding());
      assertThat(withRecovery.statusCode()).as(withRecovery.body()).isEqualTo(200);
      assertThat(amr(server, json(withRecovery).get("idToken").asText()))
          .containsExactly("pwd", "otp", "mfa");
      Pending again = passwordStep(server);
      assertThat(
              codeStep(server, again.mfaToken(), recovery, BINDING + "=" + again.binding())
                  .statusCode())
          .isEqualTo(401);

      String metrics = get(TestHttp.metricsUrl(server)).body();
      assertThat(metrics)
          .contains("latchkey_second_steps_total{method=\"totp\",outcome=\"success\"} 1.0")
          .contains("latchkey_second_steps_total{method=\"totp\",outcome=\"replayed\"} 1.0")
          .contains("latchkey_second_steps_total{method=\"recovery_code\",outcome=\"success\"} 1.0")
          .contains(
              "latchkey_second_steps_total{method=\"recovery_code\",outcome=\"invalid_code\"} 1.0")
          .contains("latchkey_logins_total{outcome=\"step_required\"} 3.0");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void badBodiesAreRefusedWithJson(TestDatabase db) {
    try (AuthServer server = start(db)) {
      for (String body :
          new String[] {"{}", "{\"mfaToken\":\"a\"}", "{\"mfaToken\":1,\"code\":\"1\"}", "[]"}) {
        HttpResponse<String> r = postJson(server.baseUrl() + "/api/login/mfa", body);
        assertThat(r.statusCode()).as(body).isEqualTo(400);
        assertThat(json(r).get("error").asText()).isEqualTo("invalid_request");
      }
    }
  }

  // ---- the hosted page -------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void theHostedPageAsksForTheCodeOnTheSameForm(TestDatabase db) throws Exception {
    try (AuthServer server = start(db)) {
      Enrolled enrolled = enrol(server);
      HostedLoginTest.Form form = HostedLoginTest.open(server, null);
      HttpResponse<String> step = HostedLoginTest.submit(server, form, EMAIL, PASSWORD, "");
      assertThat(step.statusCode()).isEqualTo(200);
      assertThat(step.body())
          .contains("autocomplete=\"one-time-code\"", "name=\"code\"")
          .doesNotContain("name=\"password\"");
      assertThat(SetCookie.named(step, "__Host-latchkey")).isEmpty();
      String mfaToken = HostedLoginTest.hidden(step.body(), "mfa_token");
      String csrf = HostedLoginTest.hidden(step.body(), "csrf");
      String binding = SetCookie.named(step, BINDING).orElseThrow().value();
      String cookies =
          HostedLoginTest.CSRF_COOKIE + "=" + form.cookie() + "; " + BINDING + "=" + binding;

      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("csrf", csrf);
      fields.put("return_to", "");
      fields.put("mfa_token", mfaToken);
      fields.put("code", "000000".equals(now(enrolled)) ? "111111" : "000000");
      HttpResponse<String> wrong = HostedLoginTest.post(server, cookies, fields);
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).contains("The code is not valid", "one-time-code");

      fields.put("csrf", "forged");
      fields.put("code", now(enrolled));
      assertThat(HostedLoginTest.post(server, cookies, fields).statusCode()).isEqualTo(403);

      fields.put("csrf", csrf);
      HttpResponse<String> done = HostedLoginTest.post(server, cookies, fields);
      assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
      String session = SetCookie.named(done, "__Host-latchkey").orElseThrow().value();
      assertThat(amr(server, session)).containsExactly("pwd", "otp", "mfa");
    }
  }
}
