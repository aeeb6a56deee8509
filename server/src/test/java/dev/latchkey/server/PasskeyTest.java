package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.JSON;
import static dev.latchkey.server.TestHttp.json;
import static dev.latchkey.server.TestHttp.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.mfa.SecondFactors;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
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
 * Issue 22: passkeys over real HTTP, on H2 and PostgreSQL, with an authenticator of the test's own
 * ({@link TestAuthenticator}): registration by a signed-in user, passwordless sign-in, the second
 * step after a password, and every refusal (no user verification, removed credential, replayed
 * assertion, counter that did not grow, wrong origin, wrong RP ID, expired challenge, changed
 * backup eligibility), each counted on the login throttle.
 */
class PasskeyTest {
  static final String EMAIL = "ada@example.com";
  static final String PASSWORD = "correct horse battery staple";
  static final String APP_ORIGIN = "http://127.0.0.1:8080";
  static final String BINDING = "__Host-latchkey-mfa";
  static final String REFRESH = "__Secure-latchkey-refresh";
  static final String DEVICE = "__Host-latchkey-device";

  @TempDir Path tempDir;
  private final MutableClock clock = MutableClock.startingNow();
  private final List<AuthServerConfig> dropLater = new ArrayList<>();

  @AfterEach
  void dropSchemas() {
    dropLater.forEach(TestDatabase::dropSchema);
  }

  private AuthServer start(TestDatabase db) {
    AuthServerConfig fresh =
        TestHttp.withMetrics(TestDatabase.quiet(db.freshConfig(tempDir))).withClock(clock);
    AuthServerConfig config =
        fresh
            .withHttp(fresh.http().withCorsOrigins(List.of(APP_ORIGIN)))
            .withSessions(
                fresh
                    .sessions()
                    .withRefresh(
                        RefreshSettings.on(
                                Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(8))
                            .withMinInterval(Duration.ZERO)));
    dropLater.add(config);
    AuthServer server = AuthServer.start(config);
    server.store().users().add(EMAIL, PASSWORD.toCharArray());
    return server;
  }

  // ---- helpers ---------------------------------------------------------------------------

  private static String bearer(AuthServer server) {
    HttpResponse<String> login = TestHttp.login(server, EMAIL, PASSWORD);
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    return "Bearer " + json(login).get("idToken").asText();
  }

  private static String body(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> post(
      AuthServer server, String path, Object body, String... headers) {
    return postJson(server.baseUrl() + path, body(body), headers);
  }

  private static JsonNode ok(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return json(r);
  }

  private static void refused(HttpResponse<String> r, int status, String error) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(json(r).get("error").asText()).isEqualTo(error);
    assertThat(json(r).get("message").asText()).isNotBlank();
  }

  /** Registers the authenticator's credential for the signed-in user; the 201's body. */
  private static JsonNode register(AuthServer server, String auth, TestAuthenticator a) {
    JsonNode options =
        ok(
            post(server, "/api/passkeys/registration/options", Map.of(), "Authorization", auth),
            200);
    Map<String, Object> credential = new LinkedHashMap<>(a.register(options));
    credential.put("name", "Laptop");
    return ok(post(server, "/api/passkeys/registration", credential, "Authorization", auth), 201);
  }

  private static JsonNode loginOptions(AuthServer server) {
    return ok(post(server, "/api/passkeys/login/options", Map.of()), 200);
  }

  private static HttpResponse<String> passkeyLogin(AuthServer server, Map<String, Object> cred) {
    return post(server, "/api/passkeys/login", cred);
  }

  private static List<String> amr(AuthServer server, HttpResponse<String> signedIn)
      throws Exception {
    return TestHttp.verify(server, json(signedIn).get("idToken").asText(), "latchkey-demo")
        .getStringListClaim("amr");
  }

  private String deviceAppOrigin() {
    return APP_ORIGIN;
  }

  // ---- registration and passwordless sign-in ---------------------------------------------

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aRegisteredPasskeySignsInWithoutAPassword(TestDatabase db) throws Exception {
    try (AuthServer server = start(db)) {
      String auth = bearer(server);
      // the demo's client runs on another origin, one of the CORS origins
      TestAuthenticator a = new TestAuthenticator(deviceAppOrigin());

      JsonNode options =
          ok(
              post(server, "/api/passkeys/registration/options", Map.of(), "Authorization", auth),
              200);
      assertThat(options.get("rp").get("id").asText()).isEqualTo("127.0.0.1");
      assertThat(options.get("user").get("name").asText()).isEqualTo(EMAIL);
      assertThat(options.get("user").get("id").asText()).matches("[A-Za-z0-9_-]+");
      assertThat(options.get("challenge").asText()).matches("[A-Za-z0-9_-]{43}");
      assertThat(options.get("pubKeyCredParams").toString()).contains("\"alg\":-7");
      assertThat(options.get("authenticatorSelection").get("residentKey").asText())
          .isEqualTo("required");
      assertThat(options.get("authenticatorSelection").get("userVerification").asText())
          .isEqualTo("preferred");
      assertThat(options.get("excludeCredentials").size()).isZero();
      assertThat(options.get("attestation").asText()).isEqualTo("none");

      Map<String, Object> credential = new LinkedHashMap<>(a.register(options));
      credential.put("name", "Laptop");
      JsonNode added =
          ok(post(server, "/api/passkeys/registration", credential, "Authorization", auth), 201);
      assertThat(added.get("id").asText()).isEqualTo(a.id());
      assertThat(added.get("name").asText()).isEqualTo("Laptop");
      assertThat(added.get("createdAt").asText()).isNotBlank();

      JsonNode listed =
          ok(TestHttp.get(server.baseUrl() + "/api/passkeys", "Authorization", auth), 200);
      assertThat(listed.get("passkeys").size()).isEqualTo(1);
      assertThat(listed.get("passkeys").get(0).get("id").asText()).isEqualTo(a.id());
      assertThat(listed.get("passkeys").get(0).get("synced").asBoolean()).isFalse();
      JsonNode mfa = ok(TestHttp.get(server.baseUrl() + "/api/mfa", "Authorization", auth), 200);
      assertThat(mfa.get("passkeys").get(0).get("name").asText()).isEqualTo("Laptop");

      // the next options exclude it, and registering it again is refused
      JsonNode next =
          ok(
              post(server, "/api/passkeys/registration/options", Map.of(), "Authorization", auth),
              200);
      assertThat(next.get("excludeCredentials").get(0).get("id").asText()).isEqualTo(a.id());
      refused(
          post(server, "/api/passkeys/registration", a.register(next), "Authorization", auth),
          409,
          "passkey_exists");

      // passwordless: discoverable (no allowCredentials), user verification required
      JsonNode request = loginOptions(server);
      assertThat(request.has("allowCredentials")).isFalse();
      assertThat(request.get("userVerification").asText()).isEqualTo("required");
      assertThat(request.get("rpId").asText()).isEqualTo("127.0.0.1");
      HttpResponse<String> signedIn = passkeyLogin(server, a.assert_(request));
      assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
      assertThat(amr(server, signedIn)).containsExactly("hwk", "mfa");
      assertThat(SetCookie.named(signedIn, DEVICE)).isPresent();
      assertThat(signedIn.headers().firstValue("Cache-Control")).contains("no-store");

      // carried through refresh
      String refreshToken = SetCookie.named(signedIn, REFRESH).orElseThrow().value();
      HttpResponse<String> refreshed =
          postJson(server.baseUrl() + "/api/refresh", "{}", "Cookie", REFRESH + "=" + refreshToken);
      assertThat(amr(server, refreshed)).containsExactly("hwk", "mfa");

      JsonNode used =
          ok(TestHttp.get(server.baseUrl() + "/api/passkeys", "Authorization", auth), 200);
      assertThat(used.get("passkeys").get(0).get("lastUsedAt").isNull()).isFalse();
      assertThat(
              server
                  .store()
                  .database()
                  .queryOne("SELECT sign_count FROM passkeys", rs -> rs.getLong(1)))
          .contains(1L);
      assertThat(TestHttp.get(TestHttp.metricsUrl(server)).body())
          .contains("latchkey_passkey_sign_ins_total{outcome=\"success\"} 1.0");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aSyncedPasskeySaysSoftwareKey(TestDatabase db) throws Exception {
    try (AuthServer server = start(db)) {
      TestAuthenticator a = new TestAuthenticator(server.publicUrl());
      a.flags = TestAuthenticator.UP | TestAuthenticator.UV | TestAuthenticator.BE;
      register(server, bearer(server), a);
      a.flags |= TestAuthenticator.BS; // backed up since
      HttpResponse<String> signedIn = passkeyLogin(server, a.assert_(loginOptions(server)));
      assertThat(amr(server, signedIn)).containsExactly("swk", "mfa");
    }
  }

  // ---- the hosted page -------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void theHostedPageSignsInWithAPasskey(TestDatabase db) throws Exception {
    try (AuthServer server = start(db)) {
      TestAuthenticator a = new TestAuthenticator(server.publicUrl());
      register(server, bearer(server), a);

      HostedLoginTest.Form form = HostedLoginTest.open(server, null);
      String page = form.page().body();
      assertThat(page)
          .contains("autocomplete=\"username webauthn\"")
          .contains("<form id=\"passkey-form\" method=\"post\"")
          .contains(">Sign in with a passkey</button>")
          .contains(
              "<script src=\""
                  + server.publicUrl()
                  + "/login/passkey.js\" data-options=\""
                  + server.publicUrl()
                  + "/api/passkeys/login/options\"></script>");
      assertThat(form.page().headers().firstValue("Content-Security-Policy").orElseThrow())
          .startsWith("default-src 'none'; script-src 'self'; connect-src 'self';")
          .doesNotContain("unsafe-eval")
          .doesNotContain("script-src 'unsafe-inline'");
      HttpResponse<String> script = TestHttp.get(server.baseUrl() + "/login/passkey.js");
      assertThat(script.statusCode()).isEqualTo(200);
      assertThat(script.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("text/javascript");
      assertThat(script.body()).contains("isConditionalMediationAvailable", "passkey-form");

      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("csrf", form.field());
      fields.put("return_to", "");
      fields.put("passkey", body(a.assert_(loginOptions(server))));
      // without the form's CSRF cookie: refused, and the challenge is left alone
      assertThat(HostedLoginTest.post(server, null, fields).statusCode()).isEqualTo(403);
      String cookie = HostedLoginTest.CSRF_COOKIE + "=" + form.cookie();
      HttpResponse<String> done = HostedLoginTest.post(server, cookie, fields);
      assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
      String session = SetCookie.named(done, "__Host-latchkey").orElseThrow().value();
      assertThat(amrOf(server, session)).containsExactly("hwk", "mfa");

      // a replay of the same form: the page again, with the failure mapping's status
      HttpResponse<String> replayed = HostedLoginTest.post(server, cookie, fields);
      assertThat(replayed.statusCode()).isEqualTo(401);
      assertThat(replayed.body()).contains("<form id=\"passkey-form\"");
    }
  }

  private static List<String> amrOf(AuthServer server, String token) throws Exception {
    return TestHttp.verify(server, token, "latchkey-demo").getStringListClaim("amr");
  }

  // ---- the second step -------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aPasskeyIsTheSecondStepAfterThePassword(TestDatabase db) throws Exception {
    try (AuthServer server = start(db)) {
      TestAuthenticator a = new TestAuthenticator(server.publicUrl());
      register(server, bearer(server), a);

      HttpResponse<String> login = TestHttp.login(server, EMAIL, PASSWORD);
      JsonNode step = ok(login, 200);
      assertThat(step.get("mfaRequired").asBoolean()).isTrue();
      assertThat(step.get("methods").toString()).isEqualTo("[\"passkey\"]");
      String token = step.get("mfaToken").asText();
      String cookie = BINDING + "=" + SetCookie.named(login, BINDING).orElseThrow().value();

      // options bound to the pending sign-in, only from its browser
      refused(
          post(server, "/api/passkeys/login/options", Map.of("mfaToken", token)),
          410,
          "mfa_expired");
      JsonNode options =
          ok(
              post(
                  server,
                  "/api/passkeys/login/options",
                  Map.of("mfaToken", token),
                  "Cookie",
                  cookie),
              200);
      assertThat(options.get("allowCredentials").get(0).get("id").asText()).isEqualTo(a.id());
      assertThat(options.get("userVerification").asText()).isEqualTo("preferred");

      // a passwordless challenge does not finish a second step
      a.flags = TestAuthenticator.UP; // the password was the other factor: presence is enough
      refused(
          post(
              server,
              "/api/login/mfa",
              Map.of("mfaToken", token, "credential", a.assert_(loginOptions(server))),
              "Cookie",
              cookie),
          401,
          "invalid_passkey");

      HttpResponse<String> done =
          post(
              server,
              "/api/login/mfa",
              Map.of(
                  "mfaToken",
                  token,
                  "credential",
                  a.assert_(
                      ok(
                          post(
                              server,
                              "/api/passkeys/login/options",
                              Map.of("mfaToken", token),
                              "Cookie",
                              cookie),
                          200))),
              "Cookie",
              cookie);
      assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
      assertThat(amr(server, done)).containsExactly("pwd", "hwk", "mfa");
      assertThat(SetCookie.named(done, BINDING).orElseThrow().attr("Max-Age")).isEqualTo("0");
      assertThat(TestHttp.get(TestHttp.metricsUrl(server)).body())
          .contains("latchkey_second_steps_total{method=\"passkey\",outcome=\"success\"} 1.0")
          .contains("latchkey_second_steps_total{method=\"passkey\",outcome=\"refused\"} 1.0");
    }
  }

  // ---- refusals --------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void assertionsThatMustNotSignInAreRefused(TestDatabase db) {
    try (AuthServer server = start(db)) {
      TestAuthenticator a = new TestAuthenticator(server.publicUrl());
      register(server, bearer(server), a);

      // no user verification: refused for a passwordless sign-in
      a.flags = TestAuthenticator.UP;
      refused(passkeyLogin(server, a.assert_(loginOptions(server))), 401, "invalid_passkey");
      a.flags = TestAuthenticator.UP | TestAuthenticator.UV;

      // a replayed assertion: its challenge is spent
      Map<String, Object> once = a.assert_(loginOptions(server));
      assertThat(passkeyLogin(server, once).statusCode()).isEqualTo(200);
      refused(passkeyLogin(server, once), 401, "invalid_passkey");

      // a counter that did not grow (a cloned authenticator)
      a.counter = 2;
      refused(passkeyLogin(server, a.assert_(loginOptions(server))), 401, "invalid_passkey");
      a.counter = 10;

      // another origin, another RP ID
      a.origin = "http://evil.example";
      refused(passkeyLogin(server, a.assert_(loginOptions(server))), 401, "invalid_passkey");
      a.origin = server.publicUrl();
      a.rpId = "evil.example";
      refused(passkeyLogin(server, a.assert_(loginOptions(server))), 401, "invalid_passkey");
      a.rpId = null;

      assertThat(passkeyLogin(server, a.assert_(loginOptions(server))).statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void expiredChallengesRemovedCredentialsAndChangedBackupFlagsAreRefused(TestDatabase db) {
    try (AuthServer server = start(db)) {
      String auth = bearer(server);
      TestAuthenticator a = new TestAuthenticator(server.publicUrl());
      register(server, auth, a);

      JsonNode stale = loginOptions(server);
      clock.advance(Duration.ofMinutes(5).plusSeconds(1));
      refused(passkeyLogin(server, a.assert_(stale)), 401, "invalid_passkey");

      // a device-bound credential that says it became backup eligible
      a.flags = TestAuthenticator.UP | TestAuthenticator.UV | TestAuthenticator.BE;
      refused(passkeyLogin(server, a.assert_(loginOptions(server))), 401, "invalid_passkey");
      a.flags = TestAuthenticator.UP | TestAuthenticator.UV;

      HttpRequest delete =
          HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/passkeys/" + a.id()))
              .header("Authorization", auth)
              .DELETE()
              .build();
      JsonNode left = ok(TestHttp.send(delete), 200);
      assertThat(left.get("passkeys").size()).isZero();
      refused(TestHttp.send(delete), 404, "unknown_passkey");
      refused(passkeyLogin(server, a.assert_(loginOptions(server))), 401, "invalid_passkey");
      // without a passkey, the password alone signs in again
      assertThat(json(TestHttp.login(server, EMAIL, PASSWORD)).has("idToken")).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void refusedAssertionsCountOnTheLoginThrottle(TestDatabase db) {
    try (AuthServer server = start(db)) {
      TestAuthenticator a = new TestAuthenticator(server.publicUrl());
      register(server, bearer(server), a);
      a.origin = "http://evil.example";
      for (int i = 0; i < 5; i++) {
        refused(passkeyLogin(server, a.assert_(loginOptions(server))), 401, "invalid_passkey");
      }
      a.origin = server.publicUrl();
      HttpResponse<String> locked = passkeyLogin(server, a.assert_(loginOptions(server)));
      refused(locked, 429, "too_many_attempts");
      // the same account counter as the password's
      assertThat(TestHttp.login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(429);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void badInputIsAClear4xx(TestDatabase db) {
    try (AuthServer server = start(db)) {
      String auth = bearer(server);
      refused(post(server, "/api/passkeys/registration/options", Map.of()), 401, "unauthorized");
      refused(post(server, "/api/passkeys/login", Map.of("id", "x")), 400, "invalid_request");
      refused(postJson(server.baseUrl() + "/api/passkeys/login", "[1]"), 400, "invalid_request");
      refused(
          post(
              server,
              "/api/passkeys/registration",
              Map.of("response", Map.of()),
              "Authorization",
              auth),
          400,
          "invalid_request");
      refused(
          post(server, "/api/login/mfa", Map.of("mfaToken", "x", "credential", "text")),
          400,
          "invalid_request");
      // a registration whose challenge this server never gave
      TestAuthenticator a = new TestAuthenticator(server.publicUrl());
      JsonNode invented =
          JSON.createObjectNode()
              .put("challenge", "A".repeat(43))
              .set("rp", JSON.createObjectNode().put("id", "127.0.0.1"));
      ((com.fasterxml.jackson.databind.node.ObjectNode) invented)
          .set("user", JSON.createObjectNode().put("id", "dXNlcg"));
      refused(
          post(server, "/api/passkeys/registration", a.register(invented), "Authorization", auth),
          400,
          "passkey_refused");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void theOperatorsResetRemovesPasskeys(TestDatabase db) {
    try (AuthServer server = start(db)) {
      TestAuthenticator a = new TestAuthenticator(server.publicUrl());
      register(server, bearer(server), a);
      String id = server.store().users().idOf(EMAIL);
      SecondFactors.Reset reset =
          server.store().secondFactors().resetByOperator(id, server.store().sessionRevocation());
      assertThat(reset.passkeysRemoved()).isEqualTo(1);
      assertThat(reset.sessionsRevoked()).isEqualTo(1);
      refused(passkeyLogin(server, a.assert_(loginOptions(server))), 401, "invalid_passkey");
    }
  }
}
