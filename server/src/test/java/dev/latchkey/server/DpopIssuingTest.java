package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.json;
import static dev.latchkey.server.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.dpop.DpopMode;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.testing.MutableClock;
import dev.latchkey.verifier.RejectionReason;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 24: the auth server issues DPoP-bound sessions (RFC 9449) over real HTTP: a login with a
 * valid proof gets a token with {@code cnf.jkt}, its refresh family is bound to the same key, and
 * every refused proof is a {@code 400} with the JSON error and a {@code DPoP} challenge.
 */
class DpopIssuingTest {
  private static final String EMAIL = "ada@example.com";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String COOKIE = "__Secure-latchkey-refresh";

  @RegisterExtension final ClockedServers servers = new ClockedServers();
  private final MutableClock clock = servers.clock();

  private AuthServer start(TestDatabase db, UnaryOperator<AuthServerConfig> custom) {
    AuthServer server =
        servers.start(
            db,
            c ->
                custom.apply(
                    c.withSessions(
                        c.sessions()
                            .withRefresh(
                                RefreshSettings.on(
                                    Duration.ofMinutes(15),
                                    Duration.ofHours(1),
                                    Duration.ofHours(8))))));
    server.store().users().add(EMAIL, PASSWORD.toCharArray());
    return server;
  }

  private AuthServer start(TestDatabase db) {
    return start(db, c -> c);
  }

  // ---- helpers ---------------------------------------------------------------------------

  private static String url(AuthServer server, String path) {
    return server.publicUrl() + path;
  }

  /** {@code POST /api/login} with the given headers (e.g. {@code DPoP}). */
  private static HttpResponse<String> login(AuthServer server, String... headers) {
    return TestHttp.postJson(
        url(server, "/api/login"), TestHttp.credentials(EMAIL, PASSWORD), headers);
  }

  private HttpResponse<String> boundLogin(AuthServer server, DpopKey key) {
    return login(
        server, "DPoP", key.proof("POST", url(server, "/api/login"), clock.instant(), null));
  }

  /** {@code POST /api/refresh} as a script sends it, with the refresh cookie and more headers. */
  private static HttpResponse<String> refresh(
      AuthServer server, String refreshToken, String... headers) {
    List<String> all = new ArrayList<>(List.of("Cookie", COOKIE + "=" + refreshToken));
    all.addAll(List.of(headers));
    return send(
        HttpRequest.newBuilder(URI.create(url(server, "/api/refresh")))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .headers(all.toArray(String[]::new))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  private HttpResponse<String> boundRefresh(AuthServer server, String refreshToken, DpopKey key) {
    return refresh(
        server,
        refreshToken,
        "DPoP",
        key.proof("POST", url(server, "/api/refresh"), clock.instant(), null));
  }

  private static String refreshToken(HttpResponse<String> r) {
    String cookie =
        r.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith(COOKIE + "="))
            .findFirst()
            .orElseThrow();
    return cookie.substring(COOKIE.length() + 1, cookie.indexOf(';'));
  }

  private static JWTClaimsSet claims(HttpResponse<String> r) throws Exception {
    return SignedJWT.parse(json(r).get("idToken").asText()).getJWTClaimsSet();
  }

  @SuppressWarnings("unchecked")
  private static String jkt(JWTClaimsSet claims) throws Exception {
    Map<String, Object> cnf = claims.getJSONObjectClaim("cnf");
    return cnf == null ? null : (String) cnf.get("jkt");
  }

  /** A refused proof: 400, the JSON error, a DPoP challenge; the message says which rule. */
  private static void assertRefused(HttpResponse<String> r, RejectionReason reason) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode body = json(r);
    assertThat(body.get("error").asText()).isEqualTo(reason.challengeError());
    assertThat(body.get("message").asText()).isEqualTo(reason.message());
    String challenge = r.headers().firstValue("WWW-Authenticate").orElseThrow();
    assertThat(challenge)
        .startsWith("DPoP ")
        .contains("error=\"" + reason.challengeError() + "\"")
        .contains("algs=\"ES256 RS256 PS256\"");
    assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith(COOKIE));
  }

  // ---- login -----------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aLoginWithAProofIsBoundToItsKeyAndOneWithoutIsABearerOne(TestDatabase db) throws Exception {
    DpopKey key = DpopKey.generate();
    try (AuthServer server = start(db)) {
      HttpResponse<String> bound = boundLogin(server, key);
      assertThat(bound.statusCode()).as(bound.body()).isEqualTo(200);
      assertThat(json(bound).get("tokenType").asText()).isEqualTo("DPoP");
      assertThat(jkt(claims(bound))).isEqualTo(key.thumbprint());

      HttpResponse<String> bearer = login(server);
      assertThat(bearer.statusCode()).isEqualTo(200);
      assertThat(json(bearer).get("tokenType").asText()).isEqualTo("Bearer");
      assertThat(jkt(claims(bearer))).isNull();
    }
  }

  @Test
  void theSecondStepWithAProofBindsTheSessionToItsKey() throws Exception {
    DpopKey key = DpopKey.generate();
    String email = "grace@example.com";
    try (AuthServer server = start(TestDatabase.H2)) {
      String userId = server.store().users().add(email, PASSWORD.toCharArray());
      var factors = server.store().secondFactors();
      var enrolment = factors.startTotpEnrolment(userId, email);
      factors.confirmTotp(userId, TestTotp.code(enrolment.secret(), clock.instant(), 0));
      clock.advance(Duration.ofSeconds(30));

      HttpResponse<String> password =
          TestHttp.postJson(url(server, "/api/login"), TestHttp.credentials(email, PASSWORD));
      assertThat(json(password).get("mfaRequired").asBoolean()).isTrue();
      String binding = SetCookie.named(password, "__Host-latchkey-mfa").orElseThrow().value();
      String body =
          TestHttp.JSON.writeValueAsString(
              Map.of(
                  "mfaToken",
                  json(password).get("mfaToken").asText(),
                  "code",
                  TestTotp.code(enrolment.secret(), clock.instant(), 0)));
      String stepUrl = url(server, "/api/login/mfa");
      HttpResponse<String> step =
          TestHttp.postJson(
              stepUrl,
              body,
              "Cookie",
              "__Host-latchkey-mfa=" + binding,
              "DPoP",
              key.proof("POST", stepUrl, clock.instant(), null));
      assertThat(step.statusCode()).as(step.body()).isEqualTo(200);
      assertThat(json(step).get("tokenType").asText()).isEqualTo("DPoP");
      assertThat(jkt(claims(step))).isEqualTo(key.thumbprint());
      assertThat(claims(step).getStringListClaim("amr")).contains("otp");
    }
  }

  // ---- refresh ---------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void theRefreshFamilyIsBoundToTheLoginsKey(TestDatabase db) throws Exception {
    DpopKey key = DpopKey.generate();
    DpopKey other = DpopKey.generate();
    try (AuthServer server = start(db)) {
      String refreshToken = refreshToken(boundLogin(server, key));

      // another key's proof, or none: refused, and the session goes on untouched
      assertRefused(
          boundRefresh(server, refreshToken, other), RejectionReason.DPOP_PROOF_WRONG_KEY);
      assertRefused(refresh(server, refreshToken), RejectionReason.DPOP_PROOF_MISSING);

      HttpResponse<String> refreshed = boundRefresh(server, refreshToken, key);
      assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
      assertThat(json(refreshed).get("tokenType").asText()).isEqualTo("DPoP");
      assertThat(jkt(claims(refreshed))).isEqualTo(key.thumbprint());

      // the next one in the family too
      clock.advance(Duration.ofSeconds(1));
      String next = refreshToken(refreshed);
      assertRefused(boundRefresh(server, next, other), RejectionReason.DPOP_PROOF_WRONG_KEY);
      HttpResponse<String> again = boundRefresh(server, next, key);
      assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
      assertThat(jkt(claims(again))).isEqualTo(key.thumbprint());
    }
  }

  @Test
  void aBearerFamilyIsBoundByItsFirstRefreshWithAProof() throws Exception {
    DpopKey key = DpopKey.generate();
    try (AuthServer server = start(TestDatabase.H2)) {
      String refreshToken = refreshToken(login(server));

      HttpResponse<String> bound = boundRefresh(server, refreshToken, key);
      assertThat(bound.statusCode()).as(bound.body()).isEqualTo(200);
      assertThat(json(bound).get("tokenType").asText()).isEqualTo("DPoP");
      assertThat(jkt(claims(bound))).isEqualTo(key.thumbprint());

      clock.advance(Duration.ofSeconds(1));
      assertRefused(refresh(server, refreshToken(bound)), RejectionReason.DPOP_PROOF_MISSING);
    }
  }

  /** Each rule of RFC 9449 §4.3, broken once, on a refresh of a bound session. */
  @Test
  void everyRefusedProofIsA400WithTheChallengeAndChangesNothing() throws Exception {
    DpopKey key = DpopKey.generate();
    try (AuthServer server = start(TestDatabase.H2)) {
      String refreshToken = refreshToken(boundLogin(server, key));
      String refreshUrl = url(server, "/api/refresh");
      Instant now = clock.instant();

      String used = key.proof("POST", refreshUrl, now, null);
      HttpResponse<String> first = refresh(server, refreshToken, "DPoP", used);
      assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
      refreshToken = refreshToken(first);
      clock.advance(Duration.ofSeconds(1));
      now = clock.instant();

      Map<RejectionReason, String> broken = new java.util.LinkedHashMap<>();
      broken.put(RejectionReason.DPOP_PROOF_REPLAYED, used);
      broken.put(RejectionReason.DPOP_PROOF_WRONG_METHOD, key.proof("GET", refreshUrl, now, null));
      broken.put(
          RejectionReason.DPOP_PROOF_WRONG_URL,
          key.proof("POST", url(server, "/api/login"), now, null));
      broken.put(
          RejectionReason.DPOP_PROOF_STALE,
          key.proof("POST", refreshUrl, now.minus(Duration.ofMinutes(5)), null));
      broken.put(
          RejectionReason.DPOP_PROOF_DISALLOWED_ALGORITHM,
          key.unsignedProof("POST", refreshUrl, now));
      broken.put(
          RejectionReason.DPOP_PROOF_MALFORMED, key.proofWithPrivateJwk("POST", refreshUrl, now));
      for (Map.Entry<RejectionReason, String> c : broken.entrySet()) {
        assertRefused(refresh(server, refreshToken, "DPoP", c.getValue()), c.getKey());
      }
      assertRefused(
          refresh(server, refreshToken, "DPoP", key.hmacProof("POST", refreshUrl, now)),
          RejectionReason.DPOP_PROOF_DISALLOWED_ALGORITHM);
      assertRefused(
          refresh(server, refreshToken, "DPoP", "not.a.proof"),
          RejectionReason.DPOP_PROOF_MALFORMED);

      // none of them spent the refresh token or ended the session
      HttpResponse<String> still = boundRefresh(server, refreshToken, key);
      assertThat(still.statusCode()).as(still.body()).isEqualTo(200);
    }
  }

  @Test
  void aRefusedProofAtLoginIsRefusedBeforeThePasswordIsChecked() {
    DpopKey key = DpopKey.generate();
    try (AuthServer server = start(TestDatabase.H2)) {
      String loginUrl = url(server, "/api/login");
      assertRefused(
          login(
              server,
              "DPoP",
              key.proof("POST", url(server, "/api/refresh"), clock.instant(), null)),
          RejectionReason.DPOP_PROOF_WRONG_URL);
      assertRefused(
          login(server, "DPoP", key.unsignedProof("POST", loginUrl, clock.instant())),
          RejectionReason.DPOP_PROOF_DISALLOWED_ALGORITHM);
      String proof = key.proof("POST", loginUrl, clock.instant(), null);
      assertThat(login(server, "DPoP", proof).statusCode()).isEqualTo(200);
      assertRefused(login(server, "DPoP", proof), RejectionReason.DPOP_PROOF_REPLAYED);
    }
  }

  // ---- the hosted page's callback ----------------------------------------------------------

  /**
   * A page signed in through the hosted login page (its token in an HttpOnly cookie) gets a token
   * bound to its key from {@code GET /api/session} with a proof; from then on the session answers
   * only proofs of that key, and its refresh family is bound too.
   */
  @Test
  void theHostedPagesCallbackBindsTheSessionToTheFirstProofsKey() throws Exception {
    DpopKey key = DpopKey.generate();
    DpopKey other = DpopKey.generate();
    try (AuthServer server = start(TestDatabase.H2)) {
      HostedLoginTest.Form form = HostedLoginTest.open(server, null);
      HttpResponse<String> signedIn = HostedLoginTest.submit(server, form, EMAIL, PASSWORD, "");
      assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
      String cookie =
          "__Host-latchkey=" + SetCookie.named(signedIn, "__Host-latchkey").orElseThrow().value();
      String refreshToken = refreshToken(signedIn);
      String sessionUrl = url(server, "/api/session");

      HttpResponse<String> bound =
          TestHttp.get(
              sessionUrl,
              "Cookie",
              cookie,
              "DPoP",
              key.proof("GET", sessionUrl, clock.instant(), null));
      assertThat(bound.statusCode()).as(bound.body()).isEqualTo(200);
      assertThat(json(bound).get("tokenType").asText()).isEqualTo("DPoP");
      String boundToken = json(bound).get("idToken").asText();
      assertThat(jkt(claims(bound))).isEqualTo(key.thumbprint());

      // the cookie's bearer token no longer reads the session without the key
      assertRefused(TestHttp.get(sessionUrl, "Cookie", cookie), RejectionReason.DPOP_PROOF_MISSING);
      assertRefused(
          TestHttp.get(
              sessionUrl,
              "Cookie",
              cookie,
              "DPoP",
              other.proof("GET", sessionUrl, clock.instant(), null)),
          RejectionReason.DPOP_PROOF_WRONG_KEY);
      // the bound token with its proof: the same token back
      HttpResponse<String> again =
          TestHttp.get(
              sessionUrl,
              "Authorization",
              "DPoP " + boundToken,
              "DPoP",
              key.proof("GET", sessionUrl, clock.instant(), null, boundToken));
      assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
      assertThat(json(again).get("idToken").asText()).isEqualTo(boundToken);
      HttpResponse<String> asBearer =
          TestHttp.get(sessionUrl, "Authorization", "Bearer " + boundToken);
      assertThat(asBearer.statusCode()).isEqualTo(401);
      assertThat(json(asBearer).get("error").asText()).isEqualTo("invalid_token");
      // read back, the token is checked as an application server checks it: 401 (RFC 9449 §7.1)
      HttpResponse<String> otherKey =
          TestHttp.get(
              sessionUrl,
              "Authorization",
              "DPoP " + boundToken,
              "DPoP",
              other.proof("GET", sessionUrl, clock.instant(), null, boundToken));
      assertThat(otherKey.statusCode()).as(otherKey.body()).isEqualTo(401);
      assertThat(json(otherKey).get("message").asText())
          .isEqualTo(RejectionReason.DPOP_PROOF_WRONG_KEY.message());
      assertThat(otherKey.headers().firstValue("WWW-Authenticate").orElseThrow())
          .startsWith("DPoP ")
          .contains("error=\"invalid_dpop_proof\"");

      // and the refresh family with it
      assertRefused(refresh(server, refreshToken), RejectionReason.DPOP_PROOF_MISSING);
      HttpResponse<String> refreshed = boundRefresh(server, refreshToken, key);
      assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
      assertThat(jkt(claims(refreshed))).isEqualTo(key.thumbprint());
    }
  }

  // ---- the server's options -----------------------------------------------------------------

  @Test
  void requiredModeRefusesABodyLoginWithoutAProof() throws Exception {
    DpopKey key = DpopKey.generate();
    try (AuthServer server =
        start(TestDatabase.H2, c -> c.withDpop(c.dpop().withMode(DpopMode.REQUIRED)))) {
      assertRefused(login(server), RejectionReason.DPOP_PROOF_MISSING);
      HttpResponse<String> bound = boundLogin(server, key);
      assertThat(bound.statusCode()).as(bound.body()).isEqualTo(200);
      assertThat(jkt(claims(bound))).isEqualTo(key.thumbprint());
    }
  }

  @Test
  void requiredModeLeavesCookieDeliveryAlone() {
    try (AuthServer server =
        start(
            TestDatabase.H2,
            c ->
                c.withDpop(c.dpop().withMode(DpopMode.REQUIRED))
                    .withDelivery(c.delivery().withMode(DeliveryMode.COOKIE)))) {
      HttpResponse<String> r = login(server);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(json(r).has("idToken")).isFalse();
    }
  }

  @Test
  void withNoncesAProofWithoutTheServersNonceIsAskedToRetryWithIt() throws Exception {
    DpopKey key = DpopKey.generate();
    try (AuthServer server = start(TestDatabase.H2, c -> c.withDpop(c.dpop().withNonces(true)))) {
      String loginUrl = url(server, "/api/login");
      HttpResponse<String> first =
          login(server, "DPoP", key.proof("POST", loginUrl, clock.instant(), null));
      assertRefused(first, RejectionReason.DPOP_NONCE_REQUIRED);
      assertThat(json(first).get("error").asText()).isEqualTo("use_dpop_nonce");
      String nonce = first.headers().firstValue("DPoP-Nonce").orElseThrow();

      assertRefused(
          login(server, "DPoP", key.proof("POST", loginUrl, clock.instant(), "not-the-nonce")),
          RejectionReason.DPOP_NONCE_REQUIRED);
      HttpResponse<String> bound =
          login(server, "DPoP", key.proof("POST", loginUrl, clock.instant(), nonce));
      assertThat(bound.statusCode()).as(bound.body()).isEqualTo(200);
      assertThat(jkt(claims(bound))).isEqualTo(key.thumbprint());
      assertThat(bound.headers().firstValue("DPoP-Nonce")).contains(nonce);

      // the refresh takes the nonce the login answer carried
      HttpResponse<String> refreshed =
          refresh(
              server,
              refreshToken(bound),
              "DPoP",
              key.proof("POST", url(server, "/api/refresh"), clock.instant(), nonce));
      assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
    }
  }
}
