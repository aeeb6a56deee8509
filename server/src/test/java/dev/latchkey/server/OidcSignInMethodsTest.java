package dev.latchkey.server;

import static dev.latchkey.server.OidcBrowser.query;
import static dev.latchkey.server.OidcProviderTest.EMAIL;
import static dev.latchkey.server.OidcProviderTest.PASSWORD;
import static dev.latchkey.server.OidcProviderTest.SPA;
import static dev.latchkey.server.OidcProviderTest.SPA_REDIRECT;
import static dev.latchkey.server.OidcProviderTest.WEB;
import static dev.latchkey.server.OidcProviderTest.WEB_REDIRECT;
import static dev.latchkey.server.OidcProviderTest.WEB_SECRET;
import static dev.latchkey.server.TestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.OidcBrowser.Pkce;
import dev.latchkey.server.mfa.TotpEnrolment;
import dev.latchkey.server.sessions.RefreshSettings;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 23: a client's tokens say how the user signed in, as first-party sessions do: {@code amr}
 * (RFC 8176) on the access token and the ID token, from the hosted page's sign-in through the
 * single-sign-on session to a second client, and on after a refresh; {@code auth_time} is the
 * sign-in's, not the code's or the refresh's. And a client's {@code login_hint} fills in the email
 * of the login page, escaped.
 */
class OidcSignInMethodsTest {
  @RegisterExtension final ClockedServers servers = new ClockedServers();

  private AuthServer start(TestDatabase db) {
    AuthServer server =
        servers.start(db, c -> c.withSessions(c.sessions().withRefresh(RefreshSettings.on())));
    server.store().users().add(EMAIL, PASSWORD.toCharArray());
    var clients = server.store().oidcClients();
    clients.add(SPA, List.of(SPA_REDIRECT), null, List.of());
    clients.add(WEB, List.of(WEB_REDIRECT), WEB_SECRET, List.of());
    return server;
  }

  /** TOTP on for the user; the clock moves past the step its confirmation used. */
  private String enrolTotp(AuthServer server) {
    String userId = server.store().users().idOf(EMAIL);
    TotpEnrolment e = server.store().secondFactors().startTotpEnrolment(userId, EMAIL);
    server
        .store()
        .secondFactors()
        .confirmTotp(userId, TestTotp.code(e.secret(), servers.clock().instant(), 0));
    servers.clock().advance(Duration.ofSeconds(30));
    return e.secret();
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aPasswordSignInSaysPwdOnBothTokensAndAfterARefresh(TestDatabase db) throws Exception {
    try (AuthServer server = start(db)) {
      OidcBrowser browser = new OidcBrowser(server);
      Pkce pkce = Pkce.fresh();
      long signedInAt = servers.clock().instant().getEpochSecond();
      URI back =
          browser.authorize(
              browser.authorizeUrl(OidcBrowser.request(SPA, SPA_REDIRECT, pkce)), EMAIL, PASSWORD);
      JsonNode tokens =
          json(OidcProviderTest.redeem(server, SPA, query(back).get("code"), SPA_REDIRECT, pkce));

      assertThat(accessAmr(server, tokens)).containsExactly("pwd");
      JWTClaimsSet id = idClaims(tokens);
      assertThat(id.getStringListClaim("amr")).containsExactly("pwd");
      assertThat(id.getLongClaim("auth_time")).isEqualTo(signedInAt);

      servers.clock().advance(RefreshSettings.DEFAULT_MIN_INTERVAL.plusSeconds(1));
      HttpResponse<String> refreshed =
          OidcProviderTest.token(
              server,
              OidcProviderTest.refreshForm(SPA, tokens.get("refresh_token").asText()),
              null);
      assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
      JsonNode again = json(refreshed);
      assertThat(accessAmr(server, again)).containsExactly("pwd");
      JWTClaimsSet idAgain = idClaims(again);
      assertThat(idAgain.getStringListClaim("amr")).containsExactly("pwd");
      assertThat(idAgain.getLongClaim("auth_time")).isEqualTo(signedInAt);
      assertThat(idAgain.getIssueTime()).isAfter(id.getIssueTime());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aSignInWithACodeSaysMfaToEveryClientOfTheSingleSignOnSession(TestDatabase db)
      throws Exception {
    try (AuthServer server = start(db)) {
      String secret = enrolTotp(server);
      OidcBrowser browser = new OidcBrowser(server);
      Pkce pkce = Pkce.fresh();
      long signedInAt = servers.clock().instant().getEpochSecond();
      URI back =
          browser.authorize(
              browser.authorizeUrl(OidcBrowser.request(SPA, SPA_REDIRECT, pkce)),
              EMAIL,
              PASSWORD,
              () -> TestTotp.code(secret, servers.clock().instant(), 0));
      JsonNode spa =
          json(OidcProviderTest.redeem(server, SPA, query(back).get("code"), SPA_REDIRECT, pkce));
      assertThat(accessAmr(server, spa)).containsExactly("pwd", "otp", "mfa");
      assertThat(idClaims(spa).getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");

      // the second client, later, through the single-sign-on session: the same sign-in
      servers.clock().advance(Duration.ofMinutes(5));
      Pkce webPkce = Pkce.fresh();
      HttpResponse<String> second =
          browser.get(browser.authorizeUrl(OidcBrowser.request(WEB, WEB_REDIRECT, webPkce)));
      assertThat(second.statusCode()).isEqualTo(302);
      Map<String, String> f = new LinkedHashMap<>();
      f.put("grant_type", "authorization_code");
      f.put(
          "code",
          query(URI.create(second.headers().firstValue("Location").orElseThrow())).get("code"));
      f.put("redirect_uri", WEB_REDIRECT);
      f.put("code_verifier", webPkce.verifier());
      HttpResponse<String> webAnswer = OidcProviderTest.token(server, f, WEB + ":" + WEB_SECRET);
      assertThat(webAnswer.statusCode()).as(webAnswer.body()).isEqualTo(200);
      JsonNode web = json(webAnswer);
      assertThat(accessAmr(server, web)).containsExactly("pwd", "otp", "mfa");
      JWTClaimsSet webId = idClaims(web);
      assertThat(webId.getStringListClaim("amr")).containsExactly("pwd", "otp", "mfa");
      assertThat(webId.getLongClaim("auth_time")).isEqualTo(signedInAt);

      HttpResponse<String> refreshed =
          OidcProviderTest.token(
              server,
              Map.of(
                  "grant_type",
                  "refresh_token",
                  "refresh_token",
                  web.get("refresh_token").asText(),
                  "client_id",
                  WEB,
                  "client_secret",
                  WEB_SECRET),
              null);
      assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
      assertThat(accessAmr(server, json(refreshed))).containsExactly("pwd", "otp", "mfa");
      assertThat(idClaims(json(refreshed)).getStringListClaim("amr"))
          .containsExactly("pwd", "otp", "mfa");
    }
  }

  @Test
  void aLoginHintFillsInTheEmailOfTheLoginPage() {
    try (AuthServer server = start(TestDatabase.H2)) {
      OidcBrowser browser = new OidcBrowser(server);
      Map<String, String> hinted = OidcBrowser.request(SPA, SPA_REDIRECT, Pkce.fresh());
      hinted.put("login_hint", EMAIL);
      HttpResponse<String> toLogin = browser.get(browser.authorizeUrl(hinted));
      String login = toLogin.headers().firstValue("Location").orElseThrow();
      assertThat(login).startsWith(server.baseUrl() + "/login?");
      assertThat(browser.get(login).body())
          .contains("name=\"email\" type=\"email\"", "value=\"" + EMAIL + "\"");

      hinted.put("login_hint", "\"><script>alert(1)</script>");
      String hostile =
          browser.get(browser.authorizeUrl(hinted)).headers().firstValue("Location").orElseThrow();
      assertThat(browser.get(hostile).body())
          .doesNotContain("<script>")
          .contains("value=\"&quot;&gt;&lt;script&gt;");
    }
  }

  private static List<String> accessAmr(AuthServer server, JsonNode tokens) throws Exception {
    return TestHttp.verify(
            server,
            tokens.get("access_token").asText(),
            server.store().config().tokens().audience())
        .getStringListClaim("amr");
  }

  private static JWTClaimsSet idClaims(JsonNode tokens) throws Exception {
    return SignedJWT.parse(tokens.get("id_token").asText()).getJWTClaimsSet();
  }
}
