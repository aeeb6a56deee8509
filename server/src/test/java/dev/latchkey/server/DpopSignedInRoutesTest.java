package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.testing.MutableClock;
import dev.latchkey.verifier.RejectionReason;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 24 on the auth server's signed-in routes (password change, second factors): a bound session
 * sends its token as {@code Authorization: DPoP} with a proof of its key, checked as everywhere
 * else (the token's {@code ath}, this method and URL, not seen before, the server's nonce); a bound
 * token without a valid proof is {@code 401} with a {@code DPoP} challenge and changes nothing.
 * Logout too: a copied bound token cannot end its owner's session.
 */
class DpopSignedInRoutesTest {
  private static final String EMAIL = "ada@example.com";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String NEW_PASSWORD = "a different horse, stapled";

  @RegisterExtension final ClockedServers servers = new ClockedServers();
  private final MutableClock clock = servers.clock();
  @TempDir Path tempDir;
  private final List<AuthServerConfig> shared = new ArrayList<>();

  @AfterEach
  void dropSharedSchemas() {
    shared.forEach(TestDatabase::dropSchema);
  }

  private AuthServer start(TestDatabase db, UnaryOperator<AuthServerConfig> custom) {
    AuthServer server = servers.start(db, custom);
    server.store().users().add(EMAIL, PASSWORD.toCharArray());
    return server;
  }

  private AuthServer start(TestDatabase db) {
    return start(db, c -> c);
  }

  // ---- helpers ---------------------------------------------------------------------------

  /** A bound session's token: a login with a proof of {@code key}. */
  private String boundLogin(AuthServer server, DpopKey key) throws Exception {
    return json(boundLoginAnswer(server, key)).get("idToken").asText();
  }

  /** A login with a proof of {@code key}: 200 with a DPoP-bound token (and its refresh cookie). */
  private HttpResponse<String> boundLoginAnswer(AuthServer server, DpopKey key) throws Exception {
    HttpResponse<String> r =
        TestHttp.postJson(
            server.baseUrl() + "/api/login",
            TestHttp.credentials(EMAIL, PASSWORD),
            "DPoP",
            key.proof("POST", server.publicUrl() + "/api/login", clock.instant(), null));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("tokenType").asText()).isEqualTo("DPoP");
    return r;
  }

  /** A proof of {@code key} for {@code method path} with this token's hash ({@code ath}). */
  private String proof(AuthServer server, DpopKey key, String method, String path, String token) {
    return key.proof(method, server.publicUrl() + path, clock.instant(), null, token);
  }

  /** A request to {@code path} with a JSON body (or none) and the given headers. */
  private static HttpResponse<String> call(
      AuthServer server, String method, String path, String body, String... headers) {
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
    if (headers.length > 0) {
      b.headers(headers);
    }
    return TestHttp.send(b.build());
  }

  /** The request as the bound session sends it: its token as DPoP and a fresh proof of its key. */
  private HttpResponse<String> asBound(
      AuthServer server, DpopKey key, String token, String method, String path, String body) {
    return call(
        server,
        method,
        path,
        body,
        "Authorization",
        "DPoP " + token,
        "DPoP",
        proof(server, key, method, path, token));
  }

  /** A refusal of a presented token: 401, the JSON error, a DPoP challenge with that error. */
  private static void assertRefused(HttpResponse<String> r, RejectionReason reason) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    JsonNode body = json(r);
    assertThat(body.get("error").asText()).isEqualTo(reason.challengeError());
    assertThat(body.get("message").asText()).isEqualTo(reason.message());
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith("DPoP ")
        .contains("error=\"" + reason.challengeError() + "\"")
        .contains("algs=\"ES256 RS256 PS256\"");
  }

  private static String passwordChange(String current, String fresh) {
    return TestHttp.JSON
        .createObjectNode()
        .put("currentPassword", current)
        .put("newPassword", fresh)
        .toString();
  }

  private static String jkt(String token) throws Exception {
    Map<String, Object> cnf = SignedJWT.parse(token).getJWTClaimsSet().getJSONObjectClaim("cnf");
    return cnf == null ? null : (String) cnf.get("jkt");
  }

  private AuthServer startWithRefresh(TestDatabase db) {
    return start(db, c -> c.withSessions(c.sessions().withRefresh(RefreshSettings.on())));
  }

  /** The refresh cookie an answer sets. */
  private static String refreshCookie(HttpResponse<String> r) {
    String name = RefreshSettings.on().cookieName() + "=";
    return r.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(name))
        .map(c -> c.substring(0, c.indexOf(';')))
        .findFirst()
        .orElseThrow();
  }

  /** {@code POST /api/refresh} as the bound session sends it: its cookie and a proof of its key. */
  private HttpResponse<String> boundRefresh(AuthServer server, DpopKey key, String cookie) {
    return TestHttp.postJson(
        server.baseUrl() + "/api/refresh",
        "{}",
        "Cookie",
        cookie,
        "DPoP",
        key.proof("POST", server.publicUrl() + "/api/refresh", clock.instant(), null));
  }

  /** {@code POST /api/logout} as the Angular library sends it, with these headers. */
  private static HttpResponse<String> logout(AuthServer server, String... headers) {
    return call(server, "POST", "/api/logout", "{}", headers);
  }

  /** The session is alive: read back with a proof of its key ({@code GET /api/session}). */
  private void assertAlive(AuthServer server, DpopKey key, String token) {
    HttpResponse<String> r = asBound(server, key, token, "GET", "/api/session", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static boolean totpOn(HttpResponse<String> mfa) {
    assertThat(mfa.statusCode()).as(mfa.body()).isEqualTo(200);
    return json(mfa).get("totp").asBoolean();
  }

  // ---- what a bound session does -----------------------------------------------------------

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aBoundSessionChangesItsPasswordWithItsProofAndGoesOnBoundToTheSameKey(TestDatabase db)
      throws Exception {
    DpopKey key = DpopKey.generate();
    try (AuthServer server = start(db)) {
      String token = boundLogin(server, key);

      HttpResponse<String> changed =
          asBound(
              server, key, token, "POST", "/api/password", passwordChange(PASSWORD, NEW_PASSWORD));
      assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
      assertThat(json(changed).get("status").asText()).isEqualTo("password_changed");
      assertThat(json(changed).get("tokenType").asText()).isEqualTo("DPoP");
      String fresh = json(changed).get("idToken").asText();
      assertThat(jkt(fresh)).isEqualTo(key.thumbprint());

      // the old session ended with the others; the new one answers its key's proofs only
      assertThat(asBound(server, key, token, "GET", "/api/mfa", null).statusCode()).isEqualTo(401);
      assertThat(totpOn(asBound(server, key, fresh, "GET", "/api/mfa", null))).isFalse();
      assertRefused(
          call(server, "GET", "/api/mfa", null, "Authorization", "Bearer " + fresh),
          RejectionReason.DPOP_REQUIRED);
      assertThat(TestHttp.login(server, EMAIL, NEW_PASSWORD).statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aBoundSessionEnrolsAndRemovesTotpWithItsProofs(TestDatabase db) throws Exception {
    DpopKey key = DpopKey.generate();
    try (AuthServer server = start(db)) {
      String token = boundLogin(server, key);

      HttpResponse<String> started = asBound(server, key, token, "POST", "/api/mfa/totp", null);
      assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
      String secret = json(started).get("secret").asText();
      String code = TestTotp.code(secret, clock.instant(), 0);
      HttpResponse<String> confirmed =
          asBound(
              server, key, token, "POST", "/api/mfa/totp/confirm", "{\"code\":\"" + code + "\"}");
      assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
      assertThat(totpOn(asBound(server, key, token, "GET", "/api/mfa", null))).isTrue();

      HttpResponse<String> removed =
          asBound(
              server, key, token, "DELETE", "/api/mfa/totp", "{\"password\":\"" + PASSWORD + "\"}");
      assertThat(removed.statusCode()).as(removed.body()).isIn(200, 204);
      assertThat(totpOn(asBound(server, key, token, "GET", "/api/mfa", null))).isFalse();
    }
  }

  // ---- refusals ----------------------------------------------------------------------------

  /**
   * Every way of presenting a bound token without a valid proof of its key is refused, and the
   * refused password change changes nothing.
   */
  @Test
  void aBoundTokenWithoutAValidProofOfItsKeyIsRefusedAndChangesNothing() throws Exception {
    DpopKey key = DpopKey.generate();
    DpopKey other = DpopKey.generate();
    try (AuthServer server = start(TestDatabase.H2)) {
      String token = boundLogin(server, key);
      String change = passwordChange(PASSWORD, NEW_PASSWORD);
      String dpop = "DPoP " + token;

      assertRefused(
          call(server, "POST", "/api/password", change, "Authorization", "Bearer " + token),
          RejectionReason.DPOP_REQUIRED);
      assertRefused(
          call(server, "POST", "/api/password", change, "Authorization", dpop),
          RejectionReason.DPOP_PROOF_MISSING);
      assertRefused(
          call(
              server,
              "POST",
              "/api/password",
              change,
              "Authorization",
              dpop,
              "DPoP",
              proof(server, other, "POST", "/api/password", token)),
          RejectionReason.DPOP_PROOF_WRONG_KEY);
      assertRefused(
          call(
              server,
              "POST",
              "/api/password",
              change,
              "Authorization",
              dpop,
              "DPoP",
              proof(server, key, "POST", "/api/mfa/totp", token)),
          RejectionReason.DPOP_PROOF_WRONG_URL);
      assertRefused(
          call(
              server,
              "POST",
              "/api/password",
              change,
              "Authorization",
              dpop,
              "DPoP",
              proof(server, key, "PUT", "/api/password", token)),
          RejectionReason.DPOP_PROOF_WRONG_METHOD);
      assertRefused(
          call(
              server,
              "POST",
              "/api/password",
              change,
              "Authorization",
              dpop,
              "DPoP",
              key.proof("POST", server.publicUrl() + "/api/password", clock.instant(), null)),
          RejectionReason.DPOP_PROOF_WRONG_TOKEN);

      // a proof that got through once is spent
      String spent = proof(server, key, "GET", "/api/mfa", token);
      HttpResponse<String> first =
          call(server, "GET", "/api/mfa", null, "Authorization", dpop, "DPoP", spent);
      assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
      assertRefused(
          call(server, "GET", "/api/mfa", null, "Authorization", dpop, "DPoP", spent),
          RejectionReason.DPOP_PROOF_REPLAYED);

      assertThat(TestHttp.login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(200);
      assertThat(TestHttp.login(server, EMAIL, NEW_PASSWORD).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void anUnboundTokenSentAsDpopIsRefusedAndStillWorksAsBearer() {
    DpopKey key = DpopKey.generate();
    try (AuthServer server = start(TestDatabase.H2)) {
      String token = TestHttp.idToken(TestHttp.login(server, EMAIL, PASSWORD));
      assertRefused(
          asBound(server, key, token, "GET", "/api/mfa", null),
          RejectionReason.DPOP_TOKEN_NOT_BOUND);
      HttpResponse<String> asBearer =
          call(server, "GET", "/api/mfa", null, "Authorization", "Bearer " + token);
      assertThat(totpOn(asBearer)).isFalse();
    }
  }

  // ---- logout --------------------------------------------------------------------------------

  /**
   * A bound token ends its session only as {@code DPoP} with a fresh proof of its key: every other
   * way is {@code 401} with a {@code DPoP} challenge, and the session and its refresh family go on.
   */
  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aCopiedBoundTokenCannotLogItsOwnerOutAndTheOwnerCan(TestDatabase db) throws Exception {
    DpopKey key = DpopKey.generate();
    DpopKey thief = DpopKey.generate();
    try (AuthServer server = startWithRefresh(db)) {
      HttpResponse<String> login = boundLoginAnswer(server, key);
      String token = json(login).get("idToken").asText();
      String dpop = "DPoP " + token;

      assertRefused(
          logout(server, "Authorization", "Bearer " + token), RejectionReason.DPOP_REQUIRED);
      assertRefused(logout(server, "Authorization", dpop), RejectionReason.DPOP_PROOF_MISSING);
      assertRefused(
          logout(
              server,
              "Authorization",
              dpop,
              "DPoP",
              proof(server, thief, "POST", "/api/logout", token)),
          RejectionReason.DPOP_PROOF_WRONG_KEY);
      assertRefused(
          logout(
              server,
              "Authorization",
              dpop,
              "DPoP",
              proof(server, key, "POST", "/api/refresh/logout", token)),
          RejectionReason.DPOP_PROOF_WRONG_URL);
      HttpResponse<String> onTheRefreshPath =
          call(server, "POST", "/api/refresh/logout", "{}", "Authorization", "Bearer " + token);
      assertRefused(onTheRefreshPath, RejectionReason.DPOP_REQUIRED);
      assertThat(
              logout(server, "Authorization", "Bearer " + token).headers().allValues("Set-Cookie"))
          .as("a refused logout clears no cookie")
          .isEmpty();

      assertAlive(server, key, token);
      HttpResponse<String> refreshed = boundRefresh(server, key, refreshCookie(login));
      assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
      String fresh = json(refreshed).get("idToken").asText();

      String logoutProof = proof(server, key, "POST", "/api/logout", fresh);
      HttpResponse<String> ended =
          logout(server, "Authorization", "DPoP " + fresh, "DPoP", logoutProof);
      assertThat(ended.statusCode()).as(ended.body()).isEqualTo(204);
      assertThat(asBound(server, key, fresh, "GET", "/api/session", null).statusCode())
          .isEqualTo(401);
      assertThat(boundRefresh(server, key, refreshCookie(refreshed)).statusCode()).isEqualTo(401);
      assertRefused(
          logout(server, "Authorization", "DPoP " + fresh, "DPoP", logoutProof),
          RejectionReason.DPOP_PROOF_REPLAYED);
    }
  }

  /** An expired bound token still ends its session with its proof, and still not without one. */
  @Test
  void anExpiredBoundTokenEndsItsSessionOnlyWithAProofOfItsKey() throws Exception {
    DpopKey key = DpopKey.generate();
    try (AuthServer server = startWithRefresh(TestDatabase.H2)) {
      HttpResponse<String> login = boundLoginAnswer(server, key);
      String token = json(login).get("idToken").asText();
      clock.advance(Duration.ofSeconds(json(login).get("expiresIn").asLong()).plusMinutes(5));

      assertRefused(
          logout(server, "Authorization", "Bearer " + token), RejectionReason.DPOP_REQUIRED);
      assertRefused(
          logout(server, "Authorization", "DPoP " + token), RejectionReason.DPOP_PROOF_MISSING);
      HttpResponse<String> refreshed = boundRefresh(server, key, refreshCookie(login));
      assertThat(refreshed.statusCode()).as("the family goes on").isEqualTo(200);

      HttpResponse<String> ended =
          logout(
              server,
              "Authorization",
              "DPoP " + token,
              "DPoP",
              proof(server, key, "POST", "/api/logout", token));
      assertThat(ended.statusCode()).as(ended.body()).isEqualTo(204);
      assertThat(boundRefresh(server, key, refreshCookie(refreshed)).statusCode()).isEqualTo(401);
    }
  }

  /** A bearer session logs out as before; an unbound token sent as DPoP is refused. */
  @Test
  void anUnboundTokenLogsOutAsBearerAndIsRefusedAsDpop() {
    DpopKey key = DpopKey.generate();
    try (AuthServer server = start(TestDatabase.H2)) {
      String token = TestHttp.idToken(TestHttp.login(server, EMAIL, PASSWORD));

      assertRefused(
          logout(
              server,
              "Authorization",
              "DPoP " + token,
              "DPoP",
              proof(server, key, "POST", "/api/logout", token)),
          RejectionReason.DPOP_TOKEN_NOT_BOUND);
      assertThat(totpOn(call(server, "GET", "/api/mfa", null, "Authorization", "Bearer " + token)))
          .isFalse();
      assertThat(logout(server, "Authorization", "Bearer " + token).statusCode()).isEqualTo(204);
      assertThat(
              call(server, "GET", "/api/mfa", null, "Authorization", "Bearer " + token)
                  .statusCode())
          .isEqualTo(401);
    }
  }

  /** The replay store is the database: a proof spent at one instance is a replay at another. */
  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aProofSpentAtOneInstanceIsAReplayAtAnother(TestDatabase db) throws Exception {
    DpopKey key = DpopKey.generate();
    AuthServerConfig fresh = TestDatabase.quiet(db.freshConfig(tempDir)).withClock(clock);
    AuthServerConfig config = fresh.withHttp(fresh.http().withPublicUrl("https://auth.example"));
    shared.add(config);
    try (AuthServer first = AuthServer.start(config);
        AuthServer second = AuthServer.start(config)) {
      first.store().users().add(EMAIL, PASSWORD.toCharArray());
      String token = boundLogin(first, key);
      String proof = proof(first, key, "GET", "/api/mfa", token);
      HttpResponse<String> accepted =
          TestHttp.get(
              first.baseUrl() + "/api/mfa", "Authorization", "DPoP " + token, "DPoP", proof);
      assertThat(totpOn(accepted)).isFalse();
      assertRefused(
          TestHttp.get(
              second.baseUrl() + "/api/mfa", "Authorization", "DPoP " + token, "DPoP", proof),
          RejectionReason.DPOP_PROOF_REPLAYED);
    }
  }

  /** With server nonces on, a proof without the current one is asked to retry with it. */
  @Test
  void withNoncesAProofWithoutTheServersNonceIsAskedToRetryWithIt() throws Exception {
    DpopKey key = DpopKey.generate();
    try (AuthServer server = start(TestDatabase.H2, c -> c.withDpop(c.dpop().withNonces(true)))) {
      String loginUrl = server.publicUrl() + "/api/login";
      String credentials = TestHttp.credentials(EMAIL, PASSWORD);
      String nonce =
          TestHttp.postJson(
                  loginUrl, credentials, "DPoP", key.proof("POST", loginUrl, clock.instant(), null))
              .headers()
              .firstValue("DPoP-Nonce")
              .orElseThrow();
      HttpResponse<String> login =
          TestHttp.postJson(
              loginUrl, credentials, "DPoP", key.proof("POST", loginUrl, clock.instant(), nonce));
      String token = json(login).get("idToken").asText();
      String mfaUrl = server.publicUrl() + "/api/mfa";

      HttpResponse<String> withoutNonce = asBound(server, key, token, "GET", "/api/mfa", null);
      assertRefused(withoutNonce, RejectionReason.DPOP_NONCE_REQUIRED);
      assertThat(withoutNonce.headers().firstValue("DPoP-Nonce")).contains(nonce);
      HttpResponse<String> retried =
          TestHttp.get(
              mfaUrl,
              "Authorization",
              "DPoP " + token,
              "DPoP",
              key.proof("GET", mfaUrl, clock.instant(), nonce, token));
      assertThat(totpOn(retried)).isFalse();
      assertThat(retried.headers().firstValue("DPoP-Nonce")).contains(nonce);

      HttpResponse<String> logoutWithoutNonce =
          logout(
              server,
              "Authorization",
              "DPoP " + token,
              "DPoP",
              proof(server, key, "POST", "/api/logout", token));
      assertRefused(logoutWithoutNonce, RejectionReason.DPOP_NONCE_REQUIRED);
      assertThat(logoutWithoutNonce.headers().firstValue("DPoP-Nonce")).contains(nonce);
      String logoutUrl = server.publicUrl() + "/api/logout";
      HttpResponse<String> loggedOut =
          logout(
              server,
              "Authorization",
              "DPoP " + token,
              "DPoP",
              key.proof("POST", logoutUrl, clock.instant(), nonce, token));
      assertThat(loggedOut.statusCode()).as(loggedOut.body()).isEqualTo(204);
    }
  }
}
