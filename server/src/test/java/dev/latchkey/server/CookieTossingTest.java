package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.get;
import static dev.latchkey.server.TestHttp.json;
import static dev.latchkey.server.TestHttp.login;
import static dev.latchkey.server.TestHttp.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.sessions.RefreshSettings;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 item 6: a sibling sub-domain can set a cookie of one of our names beside the victim's
 * (cookie tossing). A request that carries one of our cookie names twice is refused with {@code 400
 * duplicate_cookie}, whichever order the two come in: nothing is rotated, revoked or cleared.
 */
class CookieTossingTest {
  private static final String VICTIM = "victim@example.com";
  private static final String ATTACKER = "attacker@example.com";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String REFRESH = "__Secure-latchkey-refresh";

  @TempDir Path tempDir;
  private final List<AuthServerConfig> dropLater = new ArrayList<>();

  @AfterEach
  void dropSchemas() {
    dropLater.forEach(TestDatabase::dropSchema);
  }

  private AuthServer start(UnaryOperator<AuthServerConfig> custom) {
    AuthServerConfig config =
        custom.apply(TestDatabase.quiet(TestDatabase.H2.freshConfig(tempDir)));
    dropLater.add(config);
    AuthServer server = AuthServer.start(config);
    server.store().users().add(VICTIM, PASSWORD.toCharArray());
    server.store().users().add(ATTACKER, PASSWORD.toCharArray());
    return server;
  }

  private static AuthServerConfig cookieModeWithRefresh(AuthServerConfig c) {
    return c.withDelivery(c.delivery().withMode(DeliveryMode.COOKIE))
        .withSessions(
            c.sessions()
                .withRefresh(
                    RefreshSettings.on(
                        Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(8))));
  }

  private static String cookie(HttpResponse<?> r, String name) {
    return SetCookie.named(r, name).orElseThrow().value();
  }

  private static void assertRefusedUntouched(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    assertThat(json(r).get("error").asText()).isEqualTo("duplicate_cookie");
    assertThat(json(r).get("message").asText()).isNotBlank();
    assertThat(r.headers().allValues("Set-Cookie")).as("nothing set, nothing cleared").isEmpty();
  }

  private static String refreshHash(AuthServer server, String sid) {
    return server
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
  }

  private static String hash(String token) throws Exception {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(
            MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String sid(String token) throws Exception {
    return SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("sid");
  }

  @Test
  void aTossedRefreshCookieIsRefusedAndNeitherFamilyIsRotatedOrRevoked() throws Exception {
    try (AuthServer server = start(CookieTossingTest::cookieModeWithRefresh)) {
      HttpResponse<String> victimLogin = login(server, VICTIM, PASSWORD);
      HttpResponse<String> attackerLogin = login(server, ATTACKER, PASSWORD);
      String victims = cookie(victimLogin, REFRESH);
      String attackers = cookie(attackerLogin, REFRESH);
      String victimSid = sid(cookie(victimLogin, "__Host-latchkey"));
      String attackerSid = sid(cookie(attackerLogin, "__Host-latchkey"));

      for (String header :
          List.of(
              REFRESH + "=" + attackers + "; " + REFRESH + "=" + victims,
              REFRESH + "=" + victims + "; " + REFRESH + "=" + attackers)) {
        assertRefusedUntouched(postJson(server.baseUrl() + "/api/refresh", "{}", "Cookie", header));
        assertRefusedUntouched(
            postJson(server.baseUrl() + "/api/refresh/logout", "{}", "Cookie", header));
      }
      // Two Cookie header lines are one cookie list too.
      assertRefusedUntouched(
          postJson(
              server.baseUrl() + "/api/refresh",
              "{}",
              "Cookie",
              REFRESH + "=" + attackers,
              "Cookie",
              REFRESH + "=" + victims));

      assertThat(refreshHash(server, victimSid)).as("not rotated").isEqualTo(hash(victims));
      assertThat(refreshHash(server, attackerSid)).as("not rotated").isEqualTo(hash(attackers));
      assertThat(server.store().sessions().find(victimSid).orElseThrow().revokedAt()).isNull();
      assertThat(server.store().sessions().find(attackerSid).orElseThrow().revokedAt()).isNull();

      HttpResponse<String> renewed =
          postJson(server.baseUrl() + "/api/refresh", "{}", "Cookie", REFRESH + "=" + victims);
      assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
      assertThat(sid(cookie(renewed, "__Host-latchkey"))).isEqualTo(victimSid);
    }
  }

  @Test
  void aTossedSessionCookieIsRefusedOnSessionAndLogout() throws Exception {
    // With --cookie-domain the session cookie is "latchkey": the name a sibling can set.
    try (AuthServer server =
        start(
            c ->
                cookieModeWithRefresh(
                    c.withDelivery(c.delivery().withCookieDomain("localhost"))))) {
      HttpResponse<String> victimLogin = login(server, VICTIM, PASSWORD);
      String victims = cookie(victimLogin, "latchkey");
      String xsrf = cookie(victimLogin, "XSRF-TOKEN");
      String attackers = cookie(login(server, ATTACKER, PASSWORD), "latchkey");
      String victimSid = sid(victims);
      String tossed = "latchkey=" + attackers + "; latchkey=" + victims + "; XSRF-TOKEN=" + xsrf;

      assertRefusedUntouched(get(server.baseUrl() + "/api/session", "Cookie", tossed));
      assertRefusedUntouched(
          postJson(server.baseUrl() + "/api/logout", "{}", "Cookie", tossed, "X-XSRF-TOKEN", xsrf));
      assertThat(server.store().sessions().find(victimSid).orElseThrow().revokedAt()).isNull();

      // A second XSRF cookie, and a second device cookie at login, are refused the same way.
      String twoXsrf = "latchkey=" + victims + "; XSRF-TOKEN=" + xsrf + "; XSRF-TOKEN=chosen";
      assertRefusedUntouched(
          postJson(
              server.baseUrl() + "/api/logout", "{}", "Cookie", twoXsrf, "X-XSRF-TOKEN", xsrf));
      String device = cookie(victimLogin, "__Host-latchkey-device");
      assertRefusedUntouched(
          postJson(
              server.loginUrl(),
              TestHttp.credentials(VICTIM, PASSWORD),
              "Cookie",
              "__Host-latchkey-device=" + device + "; __Host-latchkey-device=other"));
      assertThat(server.store().sessions().find(victimSid).orElseThrow().revokedAt()).isNull();

      // The victim's own cookies alone still work.
      String own = "latchkey=" + victims + "; XSRF-TOKEN=" + xsrf;
      assertThat(get(server.baseUrl() + "/api/session", "Cookie", own).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aTossedHostedLoginCsrfCookieIsRefused() {
    try (AuthServer server = start(c -> c)) {
      HttpResponse<String> page =
          get(
              server.baseUrl() + "/login",
              "Cookie",
              "__Host-latchkey-csrf="
                  + "a".repeat(43)
                  + "; __Host-latchkey-csrf="
                  + "b".repeat(43));
      assertRefusedUntouched(page);
    }
  }
}
