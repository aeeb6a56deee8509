package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.get;
import static dev.latchkey.server.TestHttp.idToken;
import static dev.latchkey.server.TestHttp.json;
import static dev.latchkey.server.TestHttp.login;
import static dev.latchkey.server.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.sessions.RefreshSettings;
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

/**
 * Every way a session should end ends it (issue 21, items 1–3), over real HTTP, H2 and PostgreSQL:
 * disabling a user and an operator's password set revoke into the feed, refresh refuses a disabled
 * user, a spent token after the grace revokes its family, and the feed's {@code until} covers the
 * last token a session can have produced.
 */
class SessionEndingTest {
  private static final String EMAIL = "ada@example.com";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String COOKIE = "__Secure-latchkey-refresh";

  @TempDir Path tempDir;
  private final MutableClock clock = MutableClock.startingNow();
  private final List<AuthServerConfig> dropLater = new ArrayList<>();

  /** Refresh on: 15 min access tokens, 1 h idle, 8 h absolute, the given minimum interval. */
  private AuthServer startWithRefresh(TestDatabase db, Duration minInterval) {
    AuthServerConfig base =
        TestDatabase.quiet(db.freshConfig(tempDir.resolve("s" + dropLater.size())))
            .withClock(clock);
    AuthServerConfig config =
        base.withSessions(
            base.sessions()
                .withRefresh(
                    RefreshSettings.on(
                            Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(8))
                        .withMinInterval(minInterval)));
    dropLater.add(config);
    AuthServer server = AuthServer.start(config);
    server.store().users().add(EMAIL, PASSWORD.toCharArray());
    return server;
  }

  @AfterEach
  void dropSchemas() {
    dropLater.forEach(TestDatabase::dropSchema);
  }

  private static HttpResponse<String> refresh(AuthServer server, String refreshToken) {
    return send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/refresh"))
            .timeout(Duration.ofSeconds(30))
            .header("Cookie", COOKIE + "=" + refreshToken)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  private static HttpResponse<String> sessionStatus(AuthServer server, String token) {
    return get(server.baseUrl() + "/api/session", "Authorization", "Bearer " + token);
  }

  private static String refreshToken(HttpResponse<String> r) {
    String cookie =
        r.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith(COOKIE + "="))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no refresh cookie: " + r.body()));
    return cookie.substring(COOKIE.length() + 1, cookie.indexOf(';'));
  }

  private static String sid(String token) throws Exception {
    return SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("sid");
  }

  private static long exp(String token) throws Exception {
    return SignedJWT.parse(token)
        .getJWTClaimsSet()
        .getExpirationTime()
        .toInstant()
        .getEpochSecond();
  }

  private static long cursor(AuthServer server) {
    return json(get(server.baseUrl() + "/api/revocations")).get("cursor").asLong();
  }

  /** The feed's entries after {@code cursor}: sid → until. */
  private static List<JsonNode> revokedAfter(AuthServer server, long cursor) {
    List<JsonNode> entries = new ArrayList<>();
    json(get(server.baseUrl() + "/api/revocations?after=" + cursor))
        .get("revoked")
        .forEach(entries::add);
    return entries;
  }

  private static List<String> sids(List<JsonNode> entries) {
    return entries.stream().map(e -> e.get("sid").asText()).sorted().toList();
  }

  private static void assertRefused(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    assertThat(json(r).get("error").asText()).isEqualTo("invalid_refresh_token");
  }

  // ---- item 1: disable and an operator's password set end every session ------------------

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void disablingAUserRevokesEverySessionIntoTheFeedAndEnablingBringsNothingBack(TestDatabase db)
      throws Exception {
    try (AuthServer server = startWithRefresh(db, Duration.ZERO)) {
      HttpResponse<String> first = login(server, EMAIL, PASSWORD);
      HttpResponse<String> second = login(server, EMAIL, PASSWORD);
      long head = cursor(server);

      server.store().users().disable(EMAIL);

      assertThat(sids(revokedAfter(server, head)))
          .containsExactlyInAnyOrder(sid(idToken(first)), sid(idToken(second)));
      assertThat(server.store().sessions().find(sid(idToken(first))).orElseThrow().revokeReason())
          .isEqualTo("user_disabled");
      assertRefused(refresh(server, refreshToken(first)));
      assertThat(sessionStatus(server, idToken(second)).statusCode()).isEqualTo(401);

      server.store().users().enable(EMAIL);
      assertRefused(refresh(server, refreshToken(second)));
      assertThat(sessionStatus(server, idToken(first)).statusCode()).isEqualTo(401);
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void refreshRefusesADisabledUserWhateverHisSessionRowSays(TestDatabase db) throws Exception {
    try (AuthServer server = startWithRefresh(db, Duration.ZERO)) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      // disabled behind the server's back: the session rows still read as live
      server
          .store()
          .database()
          .update("UPDATE users SET disabled = ? WHERE email = ?", true, EMAIL);

      assertRefused(refresh(server, refreshToken(login)));
      assertThat(server.store().sessions().find(sid(idToken(login))).orElseThrow().revokedAt())
          .isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void anOperatorsPasswordSetRevokesEverySessionIntoTheFeed(TestDatabase db) throws Exception {
    try (AuthServer server = startWithRefresh(db, Duration.ZERO)) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      long head = cursor(server);

      server.store().users().setPassword(EMAIL, "another long passphrase".toCharArray());

      assertThat(sids(revokedAfter(server, head))).containsExactly(sid(idToken(login)));
      assertThat(server.store().sessions().find(sid(idToken(login))).orElseThrow().revokeReason())
          .isEqualTo("password_set");
      assertRefused(refresh(server, refreshToken(login)));
      assertThat(sessionStatus(server, idToken(login)).statusCode()).isEqualTo(401);
      assertThat(login(server, EMAIL, "another long passphrase").statusCode()).isEqualTo(200);
    }
  }

  // ---- item 2: a spent token after the grace revokes the family --------------------------

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aThiefWhoRefreshedFirstLosesTheFamilyWhenTheOwnerComesBackAfterTheGrace(TestDatabase db)
      throws Exception {
    try (AuthServer server = startWithRefresh(db, Duration.ZERO)) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      String sid = sid(idToken(login));
      String owners = refreshToken(login);
      String thiefs = refreshToken(refresh(server, owners)); // the thief refreshes first
      long head = cursor(server);

      clock.advance(Duration.ofSeconds(11)); // past the 10 s grace
      assertRefused(refresh(server, owners));

      assertThat(sids(revokedAfter(server, head))).containsExactly(sid);
      assertThat(server.store().sessions().find(sid).orElseThrow().revokeReason())
          .isEqualTo("refresh_reuse");
      assertRefused(refresh(server, thiefs));
    }
  }

  // ---- item 3: the feed's until covers every token issued; a purged row is not live ------

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aTokenFromTheKeepPathIsCoveredByTheFeedAndByTheSessionStatus(TestDatabase db)
      throws Exception {
    try (AuthServer server = startWithRefresh(db, Duration.ofMinutes(10))) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      String sid = sid(idToken(login));
      String t0 = refreshToken(login);

      // 6 min on: within the minimum interval the refresh token is kept, and the login's access
      // token has less than the interval left, so a new one is signed
      clock.advance(Duration.ofMinutes(6));
      HttpResponse<String> kept = refresh(server, t0);
      assertThat(refreshToken(kept)).isEqualTo(t0);
      String newest = idToken(kept);
      assertThat(exp(newest)).isGreaterThan(exp(idToken(login)));
      assertThat(server.store().sessions().find(sid).orElseThrow().accessExpiresAt())
          .as("access_expires_at is the newest token's exp")
          .isEqualTo(java.time.Instant.ofEpochSecond(exp(newest)));

      long head = cursor(server);
      assertThat(server.store().sessionRevocation().revoke(sid)).isTrue();
      List<JsonNode> revoked = revokedAfter(server, head);
      assertThat(sids(revoked)).containsExactly(sid);
      assertThat(revoked.get(0).get("until").asLong())
          .as("the feed lists the session until the last exp it can have produced")
          .isEqualTo(exp(newest));

      // past the login token's exp plus the 1 min skew, before the newest token's: the housekeeping
      // must not forget the session while a token of it is still accepted
      clock.advance(Duration.ofMinutes(11));
      server.store().sessions().purgeExpired();
      assertThat(sessionStatus(server, newest).statusCode()).isEqualTo(401);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aSessionWhoseRowIsGoneDoesNotReadAsLive(TestDatabase db) throws Exception {
    try (AuthServer server = startWithRefresh(db, Duration.ZERO)) {
      String token = idToken(login(server, EMAIL, PASSWORD));
      assertThat(sessionStatus(server, token).statusCode()).isEqualTo(200);

      server.store().database().update("DELETE FROM sessions WHERE sid = ?", sid(token));

      assertThat(sessionStatus(server, token).statusCode()).isEqualTo(401);
    }
  }
}
