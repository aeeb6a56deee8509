package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.get;
import static dev.latchkey.server.TestHttp.idToken;
import static dev.latchkey.server.TestHttp.json;
import static dev.latchkey.server.TestHttp.login;
import static dev.latchkey.server.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.server.sessions.SessionInfo;
import dev.latchkey.server.users.UserException;
import dev.latchkey.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sessions, logout, the revocation feed and refresh sessions over real HTTP, H2 and PostgreSQL. */
class SessionsTest {
  private static final String EMAIL = "ada@example.com";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String COOKIE = "__Secure-latchkey-refresh";

  @RegisterExtension final ClockedServers servers = new ClockedServers();
  private final MutableClock clock = servers.clock();

  private AuthServer start(TestDatabase db, UnaryOperator<AuthServerConfig> custom) {
    AuthServer server = servers.start(db, custom);
    server.store().users().add(EMAIL, PASSWORD.toCharArray());
    return server;
  }

  /** Refresh on, rotating at every refresh (no minimum interval). */
  private AuthServer startWithRefresh(TestDatabase db) {
    return startWithRefresh(db, Duration.ZERO);
  }

  private AuthServer startWithRefresh(TestDatabase db, Duration minInterval) {
    return start(
        db,
        c ->
            c.withSessions(
                c.sessions()
                    .withRefresh(
                        RefreshSettings.on(
                                Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(8))
                            .withMinInterval(minInterval))));
  }

  // ---- helpers ---------------------------------------------------------------------------

  /** A POST as a script sends it: {@code application/json}, no body (see LogoutCsrfTest). */
  private static HttpResponse<String> post(String url, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json");
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  private static HttpResponse<String> refresh(AuthServer server, String refreshToken) {
    return post(server.baseUrl() + "/api/refresh", "Cookie", COOKIE + "=" + refreshToken);
  }

  private static HttpResponse<String> logoutBearer(AuthServer server, String token) {
    return post(server.baseUrl() + "/api/logout", "Authorization", "Bearer " + token);
  }

  /** The one refresh cookie an answer sets (beside a login's device cookie, a logout's others). */
  private static String setCookie(HttpResponse<String> r) {
    List<String> cookies =
        r.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith(COOKIE + "="))
            .toList();
    assertThat(cookies).hasSize(1);
    return cookies.get(0);
  }

  private static String refreshToken(HttpResponse<String> r) {
    String cookie = setCookie(r);
    assertThat(cookie).startsWith(COOKIE + "=");
    return cookie.substring(COOKIE.length() + 1, cookie.indexOf(';'));
  }

  private static String sid(String token) throws Exception {
    return SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("sid");
  }

  private static JsonNode feed(AuthServer server, String query) {
    HttpResponse<String> r = get(server.baseUrl() + "/api/revocations" + query);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }

  private static List<String> feedSids(AuthServer server, String query) {
    List<String> sids = new ArrayList<>();
    feed(server, query).get("revoked").forEach(e -> sids.add(e.get("sid").asText()));
    return sids;
  }

  private static void assertEnded(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    assertThat(json(r).get("error").asText()).isEqualTo("invalid_refresh_token");
    assertThat(setCookie(r)).startsWith(COOKIE + "=;").contains("Max-Age=0", "Path=/api/refresh");
  }

  // ---- sessions, logout, feed ------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void loginCreatesASessionAndLogoutRevokesItIdempotently(TestDatabase db) throws Exception {
    try (AuthServer server = start(db, c -> c)) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      assertThat(login.headers().allValues("Set-Cookie")) // refresh is off: the device cookie only
          .singleElement()
          .asString()
          .startsWith("__Host-latchkey-device=");
      String token = idToken(login);
      String sid = sid(token);
      SessionInfo session = server.store().sessions().find(sid).orElseThrow();
      assertThat(session.revokedAt()).isNull();
      assertThat(session.accessExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(2)));
      assertThat(feedSids(server, "")).isEmpty();

      HttpResponse<String> out = logoutBearer(server, token);
      assertThat(out.statusCode()).isEqualTo(204);
      assertThat(out.body()).isEmpty();
      assertThat(server.store().sessions().find(sid).orElseThrow().revokeReason())
          .isEqualTo("logout");
      assertThat(feedSids(server, "")).containsExactly(sid);
      assertThat(logoutBearer(server, token).statusCode()).isEqualTo(204);

      // Bad or missing credentials revoke nothing and are never a 5xx.
      String other = idToken(login(server, EMAIL, PASSWORD));
      String forged = other.substring(0, other.lastIndexOf('.') + 1) + "AAAA";
      for (HttpResponse<String> r :
          List.of(
              post(server.baseUrl() + "/api/logout"),
              logoutBearer(server, "garbage"),
              logoutBearer(server, forged),
              post(server.baseUrl() + "/api/logout", "Authorization", "Basic Zm9vOmJhcg=="),
              post(server.baseUrl() + "/api/logout", "Cookie", COOKIE + "=nonsense"))) {
        assertThat(r.statusCode()).isEqualTo(204);
      }
      assertThat(server.store().sessions().find(sid(other)).orElseThrow().revokedAt()).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void logoutWithAnExpiredTokenStillEndsItsSessionAndClearsEveryCookie(TestDatabase db)
      throws Exception {
    try (AuthServer server = start(db, c -> c)) {
      String token = idToken(login(server, EMAIL, PASSWORD));
      String sid = sid(token);
      clock.advance(Duration.ofHours(3)); // the 2 h token has expired

      HttpResponse<String> out = logoutBearer(server, token);
      HttpResponse<String> again = logoutBearer(server, token);
      HttpResponse<String> none = post(server.baseUrl() + "/api/logout");

      assertThat(server.store().sessions().find(sid).orElseThrow().revokeReason())
          .isEqualTo("logout");
      // The same answer whether the session existed or was already ended; a request that names
      // no session proves nothing, so it clears nothing (issue 21 item 7, LogoutCsrfTest).
      for (HttpResponse<String> r : List.of(out, again, none)) {
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
      }
      for (HttpResponse<String> r : List.of(out, again)) {
        assertThat(r.headers().allValues("Set-Cookie"))
            .hasSize(3) // refresh, session and XSRF cookies; the hosted forms' CSRF cookie stays
            .allSatisfy(c -> assertThat(c).contains("Max-Age=0"))
            .isEqualTo(out.headers().allValues("Set-Cookie"));
      }
      assertThat(none.headers().allValues("Set-Cookie")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void revokeAllForUserEndsEverySessionOfThatUserOnly(TestDatabase db) throws Exception {
    try (AuthServer server = start(db, c -> c)) {
      server.store().users().add("bob@example.com", PASSWORD.toCharArray());
      String a1 = sid(idToken(login(server, EMAIL, PASSWORD)));
      String a2 = sid(idToken(login(server, EMAIL, PASSWORD)));
      String a3 = sid(server.store().issueToken(EMAIL).token()); // `latchkey token` has a session
      String b = sid(idToken(login(server, "bob@example.com", PASSWORD)));

      assertThat(server.store().sessionRevocation().revokeAllForUser(" ADA@Example.com"))
          .isEqualTo(3);
      assertThat(server.store().sessionRevocation().revokeAllForUser(EMAIL)).isZero();
      assertThat(feedSids(server, "")).containsExactlyInAnyOrder(a1, a2, a3).doesNotContain(b);
      assertThatThrownBy(
              () -> server.store().sessionRevocation().revokeAllForUser("nobody@example.com"))
          .isInstanceOf(UserException.class);
      String bobId = server.store().sessions().find(b).orElseThrow().userId();
      assertThat(server.store().sessionRevocation().revokeAllForUser(bobId)).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void revocationFeedFollowsTheSequenceAndListsEachEntryUntilItsLastTokenExpires(TestDatabase db)
      throws Exception {
    try (AuthServer server =
        start(
            db,
            c -> c.withSessions(c.sessions().withRevocationPollInterval(Duration.ofSeconds(20))))) {
      long head = feed(server, "").get("cursor").asLong();
      String s1 = sid(idToken(login(server, EMAIL, PASSWORD)));
      long t1 = clock.instant().getEpochSecond();
      server.store().sessionRevocation().revoke(s1);
      clock.advance(Duration.ofSeconds(10));
      String s2 = sid(idToken(login(server, EMAIL, PASSWORD)));
      long t2 = clock.instant().getEpochSecond();
      // a revocation by an instance whose clock lags an hour still comes after s1 in the feed
      clock.advance(Duration.ofHours(-1));
      server.store().sessionRevocation().revoke(s2);
      clock.advance(Duration.ofHours(1));

      HttpResponse<String> r = get(server.baseUrl() + "/api/revocations?after=" + head);
      assertThat(r.headers().firstValue("Cache-Control")).contains("public, max-age=20");
      JsonNode body = json(r);
      assertThat(body.get("now").asLong()).isEqualTo(t2);
      assertThat(body.get("snapshot").asBoolean()).isFalse();
      assertThat(body.get("cursor").asLong()).isEqualTo(head + 2);
      assertThat(body.get("keys")).isEmpty();
      assertThat(body.get("revoked")).hasSize(2);
      JsonNode first = body.get("revoked").get(0);
      assertThat(first.get("sid").asText()).isEqualTo(s1);
      assertThat(first.get("at").asLong()).isEqualTo(t1);
      assertThat(first.get("until").asLong()).isEqualTo(t1 + Duration.ofHours(2).toSeconds());
      assertThat(feedSids(server, "?after=" + (head + 1))).containsExactly(s2);
      assertThat(feedSids(server, "?after=" + (head + 2))).isEmpty();
      assertThat(feed(server, "?after=" + (head + 99)).get("snapshot").asBoolean())
          .as("a cursor the server does not know gets a snapshot")
          .isTrue();
      // the deprecated since= of older verifiers (by the revoking instance's clock)
      assertThat(feedSids(server, "?since=" + t1)).containsExactly(s1);

      // Once every token of a session has expired (+ 1 min skew), it leaves the feed: s1's tokens
      // expire 10 s before s2's.
      clock.advance(Duration.ofHours(2).plusSeconds(50));
      assertThat(feedSids(server, "")).containsExactly(s2);
      clock.advance(Duration.ofSeconds(20));
      assertThat(feedSids(server, "")).isEmpty();
      assertThat(server.store().sessions().purgeExpired()).isEqualTo(2);
      assertThat(server.store().revocations().purge()).as("the newest entry stays").isEqualTo(1);
      assertThat(feed(server, "").get("cursor").asLong()).isEqualTo(head + 2);
      assertThat(feed(server, "?after=" + head).get("snapshot").asBoolean())
          .as("a cursor older than the retained entries gets a snapshot")
          .isTrue();

      for (String bad : List.of("abc", "-1", "1.5", "9999999999999999999", "", "1e9")) {
        HttpResponse<String> refused = get(server.baseUrl() + "/api/revocations?after=" + bad);
        assertThat(refused.statusCode()).as(bad).isEqualTo(400);
        assertThat(json(refused).get("error").asText()).isEqualTo("invalid_request");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aRevokedKeyIsListedUntilTheLastTokenItSignedExpires(TestDatabase db) throws Exception {
    try (AuthServer server = startWithRefresh(db)) {
      String token = idToken(login(server, EMAIL, PASSWORD));
      String kid = SignedJWT.parse(token).getHeader().getKeyID();
      long now = clock.instant().getEpochSecond();
      long head = feed(server, "").get("cursor").asLong();

      server.store().keys().revoke(kid);

      JsonNode body = feed(server, "?after=" + head);
      assertThat(body.get("revoked")).isEmpty();
      assertThat(body.get("keys")).hasSize(1);
      assertThat(body.get("keys").get(0).get("kid").asText()).isEqualTo(kid);
      // refresh on: the longest token in force is the 15 min access token (+ 1 min skew)
      assertThat(body.get("keys").get(0).get("until").asLong())
          .isEqualTo(now + Duration.ofMinutes(16).toSeconds());
      assertThat(server.store().keys().retention()).isEqualTo(Duration.ofMinutes(16));
    }
  }

  // ---- refresh ---------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void refreshRotatesTheTokenInTheSameFamily(TestDatabase db) throws Exception {
    try (AuthServer server = startWithRefresh(db)) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      assertThat(json(login).get("expiresIn").asLong()).isEqualTo(900);
      String cookie = setCookie(login);
      assertThat(cookie)
          .contains(
              "; Path=/api/refresh",
              "; Max-Age=28800",
              "; HttpOnly",
              "; Secure",
              "; SameSite=Strict");
      String t0 = refreshToken(login);
      assertThat(Base64.getUrlDecoder().decode(t0)).hasSize(32); // 256 bits
      String sid = sid(idToken(login));
      assertStoredOnlyAsHash(server, sid, t0);

      clock.advance(Duration.ofMinutes(14));
      HttpResponse<String> first = refresh(server, t0);
      assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
      assertThat(first.headers().firstValue("Cache-Control")).contains("no-store");
      String t1 = refreshToken(first);
      assertThat(t1).isNotEqualTo(t0);
      assertThat(setCookie(first)).contains("; Max-Age=" + (28800 - 14 * 60));
      JWTClaimsSet claims = TestHttp.verify(server, idToken(first), "latchkey-demo");
      assertThat(claims.getStringClaim("sid")).isEqualTo(sid);
      assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime())
          .isEqualTo(900_000);
      assertThat(json(first).get("expiresIn").asLong()).isEqualTo(900);
      assertStoredOnlyAsHash(server, sid, t1);

      HttpResponse<String> second = refresh(server, t1);
      assertThat(second.statusCode()).isEqualTo(200);
      assertThat(sid(idToken(second))).isEqualTo(sid);

      assertEnded(refresh(server, "A".repeat(43)));
      assertEnded(post(server.baseUrl() + "/api/refresh"));
    }
  }

  private static void assertStoredOnlyAsHash(AuthServer server, String sid, String token)
      throws Exception {
    String expected =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
    String stored =
        server
            .store()
            .database()
            .inTransaction(
                c -> {
                  try (PreparedStatement ps =
                      c.prepareStatement("SELECT refresh_hash FROM sessions WHERE sid = ?")) {
                    ps.setString(1, sid);
                    try (ResultSet rs = ps.executeQuery()) {
                      rs.next();
                      return rs.getString(1);
                    }
                  }
                });
    assertThat(stored).isEqualTo(expected).isNotEqualTo(token);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void reusingASpentTokenAfterTheGraceRevokesTheWholeFamily(TestDatabase db) throws Exception {
    try (AuthServer server = startWithRefresh(db)) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      String access = idToken(login);
      String t0 = refreshToken(login);
      String t1 = refreshToken(refresh(server, t0)); // the thief's, say
      String t2 = refreshToken(refresh(server, t1)); // the family is used on
      long before = clock.instant().getEpochSecond();

      clock.advance(Duration.ofSeconds(11)); // past the 10 s grace: this is theft
      assertEnded(refresh(server, t0));
      assertEnded(refresh(server, t2)); // the legitimate holder is logged out too
      assertThat(feedSids(server, "?since=" + before)).containsExactly(sid(access));
      assertThat(server.store().sessions().find(sid(access)).orElseThrow().revokeReason())
          .isEqualTo("refresh_reuse");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aRefreshWhoseAnswerWasLostRetriedAfterTheGraceEndsTheSession(TestDatabase db)
      throws Exception {
    try (AuthServer server = startWithRefresh(db)) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      String t0 = refreshToken(login);
      String t1 = refreshToken(refresh(server, t0)); // this answer never reached the client

      // its retry comes after the grace: indistinguishable from a thief who refreshed first
      clock.advance(Duration.ofSeconds(11));
      assertEnded(refresh(server, t0));
      assertThat(server.store().sessions().find(sid(idToken(login))).orElseThrow().revokeReason())
          .isEqualTo("refresh_reuse");
      assertThat(feedSids(server, "")).containsExactly(sid(idToken(login)));
      assertEnded(refresh(server, t1));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void refreshesWithinTheMinimumIntervalSignNothingAndSpentTokensAreBounded(TestDatabase db)
      throws Exception {
    try (AuthServer server = startWithRefresh(db, Duration.ofSeconds(30))) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      String t0 = refreshToken(login);
      String sid = sid(idToken(login));
      for (int i = 0; i < 5; i++) {
        HttpResponse<String> again = refresh(server, t0);
        assertThat(refreshToken(again)).isEqualTo(t0); // not rotated
        assertThat(idToken(again)).isEqualTo(idToken(login)); // not signed again
      }
      assertThat(spentTokens(server, sid)).isZero();

      String t = t0;
      for (int i = 0; i < 12; i++) {
        clock.advance(Duration.ofSeconds(31));
        String next = refreshToken(refresh(server, t));
        assertThat(next).isNotEqualTo(t);
        t = next;
      }
      assertThat(spentTokens(server, sid)).isEqualTo(8);
      // The oldest spent token is forgotten: refused, but not taken for theft.
      assertThat(refresh(server, t0).statusCode()).isEqualTo(401);
      assertThat(server.store().sessions().find(sid).orElseThrow().revokedAt()).isNull();
    }
  }

  private static long spentTokens(AuthServer server, String sid) {
    return server
        .store()
        .database()
        .queryOne(
            "SELECT COUNT(*) FROM spent_refresh_tokens WHERE sid = ?", rs -> rs.getLong(1), sid)
        .orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aParallelTabWithinTheGraceGetsTheCurrentPair(TestDatabase db) throws Exception {
    try (AuthServer server = startWithRefresh(db)) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      String sid = sid(idToken(login));
      String t0 = refreshToken(login);
      String t1 = refreshToken(refresh(server, t0));

      clock.advance(Duration.ofSeconds(5));
      HttpResponse<String> tab = refresh(server, t0);
      assertThat(tab.statusCode()).as(tab.body()).isEqualTo(200);
      assertThat(refreshToken(tab)).isEqualTo(t1); // the current token, not a new branch
      assertThat(sid(idToken(tab))).isEqualTo(sid);

      String t2 = refreshToken(refresh(server, t1));
      clock.advance(Duration.ofSeconds(4)); // t0 was spent 9 s ago, t1 4 s ago
      assertThat(refreshToken(refresh(server, t0))).isEqualTo(t2);
      assertThat(refreshToken(refresh(server, t1))).isEqualTo(t2);
      assertThat(server.store().sessions().find(sid).orElseThrow().revokedAt()).isNull();
      assertThat(refresh(server, t2).statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void concurrentRefreshesWithOneTokenAllGetTheSameNextToken(TestDatabase db) throws Exception {
    try (AuthServer server = startWithRefresh(db)) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      String t0 = refreshToken(login);
      List<CompletableFuture<HttpResponse<String>>> calls =
          IntStream.range(0, 8)
              .mapToObj(i -> CompletableFuture.supplyAsync(() -> refresh(server, t0)))
              .toList();
      Set<String> tokens = new HashSet<>();
      for (CompletableFuture<HttpResponse<String>> call : calls) {
        HttpResponse<String> r = call.get();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        tokens.add(refreshToken(r));
      }
      assertThat(tokens).hasSize(1);
      assertThat(refresh(server, tokens.iterator().next()).statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void idleAndAbsoluteLifetimesEndTheSession(TestDatabase db) {
    try (AuthServer server = startWithRefresh(db)) {
      String t = refreshToken(login(server, EMAIL, PASSWORD));
      clock.advance(Duration.ofMinutes(59));
      t = refreshToken(refresh(server, t));
      clock.advance(Duration.ofMinutes(61)); // idle for more than 1 h
      assertEnded(refresh(server, t));

      String u = refreshToken(login(server, EMAIL, PASSWORD));
      for (int i = 0; i < 9; i++) { // 9 × 50 min = 7.5 h < 8 h
        clock.advance(Duration.ofMinutes(50));
        u = refreshToken(refresh(server, u));
      }
      clock.advance(Duration.ofMinutes(30)); // 8 h after login, though not idle
      assertEnded(refresh(server, u));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void logoutWithTheRefreshCookieEndsTheFamilyAndClearsTheCookie(TestDatabase db) throws Exception {
    try (AuthServer server = startWithRefresh(db)) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      String t0 = refreshToken(login);
      HttpResponse<String> out =
          post(server.baseUrl() + "/api/refresh/logout", "Cookie", COOKIE + "=" + t0);
      assertThat(out.statusCode()).isEqualTo(204);
      assertThat(setCookie(out))
          .startsWith(COOKIE + "=;")
          .contains("Max-Age=0", "Expires=Thu, 01 Jan 1970", "Path=/api/refresh", "HttpOnly");
      assertEnded(refresh(server, t0));
      assertThat(feedSids(server, "")).containsExactly(sid(idToken(login)));

      // Bearer logout ends the refresh family too.
      HttpResponse<String> again = login(server, EMAIL, PASSWORD);
      assertThat(logoutBearer(server, idToken(again)).statusCode()).isEqualTo(204);
      assertEnded(refresh(server, refreshToken(again)));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void refreshIsNotFoundWhenOff(TestDatabase db) {
    try (AuthServer server = start(db, c -> c)) {
      HttpResponse<String> r = post(server.baseUrl() + "/api/refresh");
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(json(r).get("error").asText()).isEqualTo("not_found");
    }
  }
}
