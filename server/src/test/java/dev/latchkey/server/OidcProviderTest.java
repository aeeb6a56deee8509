package dev.latchkey.server;

import static dev.latchkey.server.OidcBrowser.query;
import static dev.latchkey.server.TestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import dev.latchkey.server.OidcBrowser.Pkce;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.TokenRejectedException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 23: the OpenID provider over real HTTP: the code flow with PKCE and each error path. */
class OidcProviderTest {
  static final String EMAIL = "ada@example.com";
  static final String PASSWORD = "correct horse battery staple";
  static final String SPA = "spa";
  static final String SPA_REDIRECT = "https://spa.example.com/callback";
  static final String SPA_AFTER_LOGOUT = "https://spa.example.com/bye";
  static final String WEB = "web";
  static final String WEB_REDIRECT = "https://web.example.com/login/oauth2/code/latchkey";
  static final String WEB_SECRET = "a-web-client-secret-of-some-length";

  @RegisterExtension final ClockedServers servers = new ClockedServers();

  private AuthServer start(TestDatabase db) {
    AuthServer server =
        servers.start(db, c -> c.withSessions(c.sessions().withRefresh(RefreshSettings.on())));
    server.store().users().add(EMAIL, PASSWORD.toCharArray());
    var clients = server.store().oidcClients();
    clients.add(SPA, List.of(SPA_REDIRECT), null, List.of(SPA_AFTER_LOGOUT));
    clients.add(WEB, List.of(WEB_REDIRECT), WEB_SECRET, List.of());
    return server;
  }

  /** Signs in through the hosted page with the SPA client and redeems the code. */
  private JsonNode signInSpa(AuthServer server, OidcBrowser browser) {
    Pkce pkce = Pkce.fresh();
    URI back =
        browser.authorize(
            browser.authorizeUrl(OidcBrowser.request(SPA, SPA_REDIRECT, pkce)), EMAIL, PASSWORD);
    Map<String, String> answer = query(back);
    HttpResponse<String> tokens = redeem(server, SPA, answer.get("code"), SPA_REDIRECT, pkce);
    assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
    return json(tokens);
  }

  static HttpResponse<String> redeem(
      AuthServer server, String clientId, String code, String redirectUri, Pkce pkce) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("grant_type", "authorization_code");
    f.put("code", code);
    f.put("redirect_uri", redirectUri);
    f.put("code_verifier", pkce.verifier());
    f.put("client_id", clientId);
    return token(server, f, null);
  }

  static HttpResponse<String> token(AuthServer server, Map<String, String> form, String basicAuth) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(OidcBrowser.form(form)));
    if (basicAuth != null) {
      b.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(basicAuth.getBytes(StandardCharsets.UTF_8)));
    }
    return TestHttp.send(b.build());
  }

  static HttpResponse<String> userinfo(AuthServer server, String accessToken) {
    return TestHttp.get(server.baseUrl() + "/userinfo", "Authorization", "Bearer " + accessToken);
  }

  static Map<String, String> refreshForm(String clientId, String refreshToken) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("grant_type", "refresh_token");
    f.put("refresh_token", refreshToken);
    f.put("client_id", clientId);
    return f;
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aPublicClientSignsInRefreshesReadsUserinfoAndLogsOut(TestDatabase db) throws Exception {
    try (AuthServer server = start(db)) {
      OidcBrowser browser = new OidcBrowser(server);
      Pkce pkce = Pkce.fresh();
      URI back =
          browser.authorize(
              browser.authorizeUrl(OidcBrowser.request(SPA, SPA_REDIRECT, pkce)), EMAIL, PASSWORD);

      assertThat(back.toString()).startsWith(SPA_REDIRECT + "?");
      Map<String, String> answer = query(back);
      assertThat(answer).containsEntry("state", "state-spa").containsEntry("iss", server.issuer());
      assertThat(browser.has("__Host-latchkey-sso")).isTrue();

      HttpResponse<String> tokenAnswer =
          redeem(server, SPA, answer.get("code"), SPA_REDIRECT, pkce);
      assertThat(tokenAnswer.statusCode()).as(tokenAnswer.body()).isEqualTo(200);
      assertThat(tokenAnswer.headers().firstValue("Cache-Control")).contains("no-store");
      JsonNode tokens = json(tokenAnswer);
      assertThat(tokens.get("token_type").asText()).isEqualTo("Bearer");
      String access = tokens.get("access_token").asText();
      String audience = server.store().config().tokens().audience();

      // the access token is the session token application servers already accept
      JWTClaimsSet accessClaims = TestHttp.verify(server, access, audience);
      String userId = server.store().users().idOf(EMAIL);
      assertThat(accessClaims.getSubject()).isEqualTo(userId);

      // the ID token: its own type, for the client, with nonce, auth_time, azp, at_hash, sid
      SignedJWT id = SignedJWT.parse(tokens.get("id_token").asText());
      assertThat(id.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
      JWTClaimsSet idClaims = id.getJWTClaimsSet();
      assertThat(idClaims.getIssuer()).isEqualTo(server.issuer());
      assertThat(idClaims.getSubject()).isEqualTo(userId);
      assertThat(idClaims.getAudience()).containsExactly(SPA);
      assertThat(idClaims.getStringClaim("azp")).isEqualTo(SPA);
      assertThat(idClaims.getStringClaim("nonce")).isEqualTo("nonce-spa");
      assertThat(idClaims.getStringClaim("sid")).isEqualTo(accessClaims.getStringClaim("sid"));
      assertThat(idClaims.getLongClaim("auth_time"))
          .isBetween(
              servers.clock().instant().getEpochSecond() - 5,
              servers.clock().instant().getEpochSecond());
      assertThat(idClaims.getStringClaim("at_hash"))
          .isEqualTo(
              AccessTokenHash.compute(new BearerAccessToken(access), id.getHeader().getAlgorithm())
                  .getValue());
      assertThat(idClaims.getStringClaim("email")).isEqualTo(EMAIL);

      // a verifier configured from discovery accepts the access token, never the ID token
      try (JwtVerifier verifier =
          JwtVerifier.withIssuerUri(URI.create(server.issuer()))
              .audience(audience)
              .clock(servers.clock())
              .build()) {
        assertThat(verifier.verify(access).subject()).isEqualTo(userId);
        assertThatThrownBy(() -> verifier.verify(id.serialize()))
            .isInstanceOfSatisfying(
                TokenRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(RejectionReason.WRONG_TYPE));
      }

      HttpResponse<String> info = userinfo(server, access);
      assertThat(info.statusCode()).isEqualTo(200);
      assertThat(json(info).get("sub").asText()).isEqualTo(userId);
      assertThat(json(info).get("email").asText()).isEqualTo(EMAIL);
      assertThat(json(info).has("email_verified")).isTrue();

      // past the refresh policy's minimum interval, so that the refresh rotates
      servers.clock().advance(RefreshSettings.DEFAULT_MIN_INTERVAL.plusSeconds(1));
      HttpResponse<String> refreshed =
          token(server, refreshForm(SPA, tokens.get("refresh_token").asText()), null);
      assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
      JsonNode again = json(refreshed);
      assertThat(again.get("refresh_token").asText())
          .isNotEqualTo(tokens.get("refresh_token").asText());
      assertThat(SignedJWT.parse(again.get("id_token").asText()).getJWTClaimsSet().getSubject())
          .isEqualTo(userId);

      String sid = idClaims.getStringClaim("sid");
      HttpResponse<String> loggedOut =
          browser.get(
              server.baseUrl()
                  + "/logout?"
                  + OidcBrowser.form(
                      Map.of(
                          "id_token_hint",
                          id.serialize(),
                          "post_logout_redirect_uri",
                          SPA_AFTER_LOGOUT,
                          "state",
                          "bye-state")));
      assertThat(loggedOut.statusCode()).isEqualTo(302);
      assertThat(loggedOut.headers().firstValue("Location"))
          .contains(SPA_AFTER_LOGOUT + "?state=bye-state");
      assertThat(browser.has("__Host-latchkey-sso")).isFalse();
      assertThat(server.store().sessions().find(sid).orElseThrow().revokedAt()).isNotNull();
      assertThat(TestHttp.get(server.baseUrl() + "/api/revocations").body()).contains(sid);
      assertThat(userinfo(server, again.get("access_token").asText()).statusCode()).isEqualTo(401);
      // signed out at the auth server: the next request has to sign in again
      assertThat(
              browser
                  .get(browser.authorizeUrl(OidcBrowser.request(SPA, SPA_REDIRECT, Pkce.fresh())))
                  .headers()
                  .firstValue("Location")
                  .orElseThrow())
          .startsWith(server.baseUrl() + "/login?");
    }
  }

  @Test
  void aSecondClientSignsInWithoutThePasswordAndPromptNoneWithoutASessionIsLoginRequired() {
    try (AuthServer server = start(TestDatabase.H2)) {
      OidcBrowser browser = new OidcBrowser(server);
      signInSpa(server, browser);

      Pkce pkce = Pkce.fresh();
      HttpResponse<String> second =
          browser.get(browser.authorizeUrl(OidcBrowser.request(WEB, WEB_REDIRECT, pkce)));
      assertThat(second.statusCode()).isEqualTo(302);
      URI back = URI.create(second.headers().firstValue("Location").orElseThrow());
      assertThat(back.toString()).startsWith(WEB_REDIRECT + "?");
      Map<String, String> f = new LinkedHashMap<>();
      f.put("grant_type", "authorization_code");
      f.put("code", query(back).get("code"));
      f.put("redirect_uri", WEB_REDIRECT);
      f.put("code_verifier", pkce.verifier());
      HttpResponse<String> tokens = token(server, f, WEB + ":" + WEB_SECRET);
      assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);

      // prompt=login asks for the password again even with a single-sign-on session
      Map<String, String> login = OidcBrowser.request(WEB, WEB_REDIRECT, Pkce.fresh());
      login.put("prompt", "login");
      assertThat(browser.get(browser.authorizeUrl(login)).headers().firstValue("Location"))
          .hasValueSatisfying(l -> assertThat(l).startsWith(server.baseUrl() + "/login?"));

      OidcBrowser stranger = new OidcBrowser(server);
      Map<String, String> none = OidcBrowser.request(SPA, SPA_REDIRECT, Pkce.fresh());
      none.put("prompt", "none");
      Map<String, String> answer =
          query(
              URI.create(
                  stranger
                      .get(stranger.authorizeUrl(none))
                      .headers()
                      .firstValue("Location")
                      .orElseThrow()));
      assertThat(answer)
          .containsEntry("error", "login_required")
          .containsEntry("state", "state-spa")
          .containsEntry("iss", server.issuer());
    }
  }

  @Test
  void anUnknownClientOrAnUnregisteredRedirectUriGetsAPageNeverARedirect() {
    try (AuthServer server = start(TestDatabase.H2)) {
      OidcBrowser browser = new OidcBrowser(server);
      HttpResponse<String> unknown =
          browser.get(
              browser.authorizeUrl(
                  OidcBrowser.request("nobody", "https://evil.example.com/cb", Pkce.fresh())));
      assertThat(unknown.statusCode()).isEqualTo(400);
      assertThat(unknown.headers().firstValue("Location")).isEmpty();
      assertThat(unknown.body()).contains("not registered");

      for (String wrong :
          List.of(
              "https://evil.example.com/callback",
              SPA_REDIRECT + "/",
              SPA_REDIRECT + "?x=1",
              "https://spa.example.com:8443/callback")) {
        HttpResponse<String> mismatched =
            browser.get(browser.authorizeUrl(OidcBrowser.request(SPA, wrong, Pkce.fresh())));
        assertThat(mismatched.statusCode()).as(wrong).isEqualTo(400);
        assertThat(mismatched.headers().firstValue("Location")).as(wrong).isEmpty();
      }
    }
  }

  @Test
  void withoutPkceOrWithPlainTheClientGetsInvalidRequest() {
    try (AuthServer server = start(TestDatabase.H2)) {
      OidcBrowser browser = new OidcBrowser(server);
      Map<String, String> noPkce = OidcBrowser.request(SPA, SPA_REDIRECT, Pkce.fresh());
      noPkce.remove("code_challenge");
      noPkce.remove("code_challenge_method");
      Map<String, String> plain = OidcBrowser.request(SPA, SPA_REDIRECT, Pkce.fresh());
      plain.put("code_challenge_method", "plain");
      Map<String, String> implicit = OidcBrowser.request(SPA, SPA_REDIRECT, Pkce.fresh());
      implicit.put("response_type", "id_token");
      for (Map<String, String> bad : List.of(noPkce, plain, implicit)) {
        HttpResponse<String> r = browser.get(browser.authorizeUrl(bad));
        assertThat(r.statusCode()).isEqualTo(302);
        Map<String, String> answer =
            query(URI.create(r.headers().firstValue("Location").orElseThrow()));
        assertThat(answer.get("error")).isIn("invalid_request", "unsupported_response_type");
        assertThat(answer)
            .containsEntry("state", "state-spa")
            .containsEntry("iss", server.issuer());
      }
    }
  }

  @Test
  void aCodeWorksOnceForItsClientRedirectUriAndVerifierWithinAMinute() {
    try (AuthServer server = start(TestDatabase.H2)) {
      OidcBrowser browser = new OidcBrowser(server);
      signInSpa(server, browser); // the single-sign-on session

      // wrong verifier
      Code c1 = code(browser, SPA, SPA_REDIRECT);
      assertInvalidGrant(redeem(server, SPA, c1.code(), SPA_REDIRECT, Pkce.fresh()));
      // a code once refused is spent
      assertInvalidGrant(redeem(server, SPA, c1.code(), SPA_REDIRECT, c1.pkce()));

      // another redirect URI than the code's
      server.store().oidcClients().remove(SPA);
      server
          .store()
          .oidcClients()
          .add(SPA, List.of(SPA_REDIRECT, SPA_REDIRECT + "2"), null, List.of(SPA_AFTER_LOGOUT));
      Code c2 = code(browser, SPA, SPA_REDIRECT);
      assertInvalidGrant(redeem(server, SPA, c2.code(), SPA_REDIRECT + "2", c2.pkce()));

      // another client: refused (and the code stays its own client's)
      Code c3 = code(browser, SPA, SPA_REDIRECT);
      Map<String, String> f = new LinkedHashMap<>();
      f.put("grant_type", "authorization_code");
      f.put("code", c3.code());
      f.put("redirect_uri", SPA_REDIRECT);
      f.put("code_verifier", c3.pkce().verifier());
      assertInvalidGrant(token(server, f, WEB + ":" + WEB_SECRET));
      assertThat(redeem(server, SPA, c3.code(), SPA_REDIRECT, c3.pkce()).statusCode())
          .isEqualTo(200);

      // expired after 60 s
      Code c4 = code(browser, SPA, SPA_REDIRECT);
      servers.clock().advance(Duration.ofSeconds(61));
      assertInvalidGrant(redeem(server, SPA, c4.code(), SPA_REDIRECT, c4.pkce()));
    }
  }

  @Test
  void aCodeUsedTwiceRevokesWhatItsFirstUseIssued() throws Exception {
    try (AuthServer server = start(TestDatabase.H2)) {
      OidcBrowser browser = new OidcBrowser(server);
      signInSpa(server, browser);
      Code c = code(browser, SPA, SPA_REDIRECT);
      JsonNode first = json(redeem(server, SPA, c.code(), SPA_REDIRECT, c.pkce()));
      String access = first.get("access_token").asText();
      assertThat(userinfo(server, access).statusCode()).isEqualTo(200);

      HttpResponse<String> again = redeem(server, SPA, c.code(), SPA_REDIRECT, c.pkce());
      assertInvalidGrant(again);

      String sid = SignedJWT.parse(access).getJWTClaimsSet().getStringClaim("sid");
      assertThat(server.store().sessions().find(sid).orElseThrow().revokedAt()).isNotNull();
      assertThat(userinfo(server, access).statusCode()).isEqualTo(401);
      assertThat(TestHttp.get(server.baseUrl() + "/api/revocations").body()).contains(sid);
      assertThat(
              token(server, refreshForm(SPA, first.get("refresh_token").asText()), null)
                  .statusCode())
          .isEqualTo(400);
    }
  }

  @Test
  void aWrongSecretIsInvalidClientWith401AndAnotherClientsRefreshTokenIsRefused() {
    try (AuthServer server = start(TestDatabase.H2)) {
      OidcBrowser browser = new OidcBrowser(server);
      JsonNode spaTokens = signInSpa(server, browser);

      Map<String, String> refresh = refreshForm(WEB, spaTokens.get("refresh_token").asText());
      refresh.remove("client_id");
      HttpResponse<String> wrongSecret =
          token(server, refresh, WEB + ":not-the-secret-at-all-really");
      assertThat(wrongSecret.statusCode()).isEqualTo(401);
      assertThat(wrongSecret.headers().firstValue("WWW-Authenticate")).isPresent();
      assertThat(json(wrongSecret).get("error").asText()).isEqualTo("invalid_client");
      assertThat(wrongSecret.headers().firstValue("Cache-Control")).contains("no-store");

      HttpResponse<String> secretPost =
          token(
              server,
              Map.of(
                  "grant_type",
                  "refresh_token",
                  "refresh_token",
                  spaTokens.get("refresh_token").asText(),
                  "client_id",
                  WEB,
                  "client_secret",
                  WEB_SECRET),
              null);
      assertInvalidGrant(secretPost); // authenticated, but the token is the SPA's

      // a confidential client without its secret, an unknown public client
      assertThat(token(server, refreshForm(WEB, "x"), null).statusCode()).isEqualTo(401);
      assertThat(token(server, refreshForm("nobody", "x"), null).statusCode()).isEqualTo(401);

      // the SPA's token was left as it was: it still refreshes for the SPA
      assertThat(
              token(server, refreshForm(SPA, spaTokens.get("refresh_token").asText()), null)
                  .statusCode())
          .isEqualTo(200);

      HttpResponse<String> unsupported =
          token(server, Map.of("grant_type", "password", "client_id", SPA), null);
      assertThat(unsupported.statusCode()).isEqualTo(400);
      assertThat(json(unsupported).get("error").asText())
          .isIn("unsupported_grant_type", "invalid_request");
      HttpResponse<String> notAForm = TestHttp.postJson(server.baseUrl() + "/token", "{}");
      assertThat(notAForm.statusCode()).isEqualTo(400);
      assertThat(json(notAForm).get("error").asText()).isEqualTo("invalid_request");
    }
  }

  @Test
  void discoveryListsExactlyWhatIsSupported() {
    try (AuthServer server = start(TestDatabase.H2)) {
      JsonNode doc = json(TestHttp.get(server.discoveryUrl()));
      String base = server.publicUrl();
      assertThat(doc.get("authorization_endpoint").asText()).isEqualTo(base + "/authorize");
      assertThat(doc.get("token_endpoint").asText()).isEqualTo(base + "/token");
      assertThat(doc.get("userinfo_endpoint").asText()).isEqualTo(base + "/userinfo");
      assertThat(doc.get("end_session_endpoint").asText()).isEqualTo(base + "/logout");
      assertThat(doc.get("response_types_supported").toString()).isEqualTo("[\"code\"]");
      assertThat(doc.get("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
      assertThat(doc.get("grant_types_supported").toString())
          .isEqualTo("[\"authorization_code\",\"refresh_token\"]");
      assertThat(doc.get("token_endpoint_auth_methods_supported").toString())
          .isEqualTo("[\"client_secret_basic\",\"client_secret_post\",\"none\"]");
      assertThat(doc.get("scopes_supported").toString())
          .isEqualTo("[\"openid\",\"profile\",\"email\",\"offline_access\"]");
      assertThat(doc.get("authorization_response_iss_parameter_supported").asBoolean()).isTrue();
      assertThat(doc.get("claims_supported").toString())
          .contains("\"nonce\"", "\"auth_time\"", "\"at_hash\"", "\"email\"", "\"roles\"");
      assertThat(doc.get("dpop_signing_alg_values_supported").toString())
          .isEqualTo("[\"ES256\",\"RS256\",\"PS256\"]");
    }
  }

  @Test
  void userinfoWantsAValidBearerTokenFromTheTokenEndpoint() {
    try (AuthServer server = start(TestDatabase.H2)) {
      HttpResponse<String> none = TestHttp.get(server.baseUrl() + "/userinfo");
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
      assertThat(userinfo(server, "not.a.token").statusCode()).isEqualTo(401);
      // a first-party session token (no OpenID grant) is not enough
      String firstParty = TestHttp.idToken(TestHttp.login(server, EMAIL, PASSWORD));
      assertThat(userinfo(server, firstParty).statusCode()).isEqualTo(403);
    }
  }

  @Test
  void logoutReturnsOnlyToARegisteredAddress() {
    try (AuthServer server = start(TestDatabase.H2)) {
      OidcBrowser browser = new OidcBrowser(server);
      JsonNode tokens = signInSpa(server, browser);
      HttpResponse<String> elsewhere =
          browser.get(
              server.baseUrl()
                  + "/logout?"
                  + OidcBrowser.form(
                      Map.of(
                          "id_token_hint",
                          tokens.get("id_token").asText(),
                          "post_logout_redirect_uri",
                          "https://evil.example.com/")));
      assertThat(elsewhere.statusCode()).isEqualTo(400);
      assertThat(elsewhere.headers().firstValue("Location")).isEmpty();
      HttpResponse<String> badHint =
          browser.get(server.baseUrl() + "/logout?id_token_hint=" + "e30.e30.sig");
      assertThat(badHint.statusCode()).isEqualTo(400);
      HttpResponse<String> signedOutAlready =
          new OidcBrowser(server).get(server.baseUrl() + "/logout");
      assertThat(signedOutAlready.statusCode()).isEqualTo(200);
      assertThat(signedOutAlready.body()).contains("signed out");
    }
  }

  @Test
  void aLogoutWithoutAnIdTokenAsksTheUserAndEndsNothingUntilTheyPostTheirAnswer() {
    try (AuthServer server = start(TestDatabase.H2)) {
      OidcBrowser browser = new OidcBrowser(server);
      String sid = sidOf(signInSpa(server, browser));

      // a link to /logout (any page can navigate there): asked, nothing ended
      HttpResponse<String> asked = browser.get(server.baseUrl() + "/logout");
      assertThat(asked.statusCode()).isEqualTo(200);
      assertThat(asked.body()).contains("Sign out?").contains("action=\"logout\"");
      assertThat(asked.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("form-action 'self';")
          .contains("frame-ancestors 'none'");
      assertThat(browser.has("__Host-latchkey-sso")).isTrue();
      assertThat(revoked(server, sid)).isFalse();

      Map<String, String> answer = OidcBrowser.hiddenFields(asked.body());
      assertThat(answer).containsKeys("csrf", "confirm").doesNotContainKey("id_token_hint");
      HttpResponse<String> done = browser.postForm(server.baseUrl() + "/logout", answer);
      assertThat(done.statusCode()).isEqualTo(200);
      assertThat(done.body()).contains("signed out");
      assertThat(browser.has("__Host-latchkey-sso")).isFalse();
      assertThat(revoked(server, sid)).isTrue();
    }
  }

  @Test
  void anIdTokenOfAnotherBrowsersSessionEndsItOnlyWhenThisBrowsersUserSaysSo() {
    try (AuthServer server = start(TestDatabase.H2)) {
      String elsewhere = signInSpa(server, new OidcBrowser(server)).get("id_token").asText();
      String sid = sidOf(elsewhere);
      Map<String, String> request =
          Map.of(
              "id_token_hint",
              elsewhere,
              "post_logout_redirect_uri",
              SPA_AFTER_LOGOUT,
              "state",
              "bye-state");
      OidcBrowser signedIn = new OidcBrowser(server);
      signInSpa(server, signedIn); // its own single-sign-on session, not the hint's
      OidcBrowser fresh = new OidcBrowser(server); // no session at all

      for (OidcBrowser browser : List.of(signedIn, fresh)) {
        HttpResponse<String> asked =
            browser.get(server.baseUrl() + "/logout?" + OidcBrowser.form(request));
        assertThat(asked.statusCode()).isEqualTo(200);
        assertThat(asked.body()).contains("Sign out?");
        assertThat(asked.headers().firstValue("Location")).isEmpty();
        assertThat(asked.headers().firstValue("Content-Security-Policy").orElseThrow())
            .contains("form-action 'self' https://spa.example.com;");
        assertThat(revoked(server, sid)).isFalse();
      }

      HttpResponse<String> asked =
          fresh.get(server.baseUrl() + "/logout?" + OidcBrowser.form(request));
      Map<String, String> answer = new LinkedHashMap<>(OidcBrowser.hiddenFields(asked.body()));
      assertThat(answer).containsAllEntriesOf(request);
      // the answer without the page's anti-CSRF token (a cross-site form): refused, asked again
      for (String csrf : List.of("", "A".repeat(43))) {
        answer.put("csrf", csrf);
        HttpResponse<String> forged = fresh.postForm(server.baseUrl() + "/logout", answer);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("Sign out?");
        assertThat(revoked(server, sid)).isFalse();
      }
      // the confirmation as a GET (a link cannot answer for the user)
      answer.put("csrf", OidcBrowser.hiddenFields(asked.body()).get("csrf"));
      HttpResponse<String> linked =
          fresh.get(server.baseUrl() + "/logout?" + OidcBrowser.form(answer));
      assertThat(linked.statusCode()).isEqualTo(200);
      assertThat(revoked(server, sid)).isFalse();

      HttpResponse<String> confirmed = fresh.postForm(server.baseUrl() + "/logout", answer);
      assertThat(confirmed.statusCode()).isEqualTo(302);
      assertThat(confirmed.headers().firstValue("Location"))
          .contains(SPA_AFTER_LOGOUT + "?state=bye-state");
      assertThat(revoked(server, sid)).isTrue();
    }
  }

  private static String sidOf(JsonNode tokens) {
    return sidOf(tokens.get("id_token").asText());
  }

  private static String sidOf(String idToken) {
    try {
      return SignedJWT.parse(idToken).getJWTClaimsSet().getStringClaim("sid");
    } catch (java.text.ParseException e) {
      throw new AssertionError(e);
    }
  }

  private static boolean revoked(AuthServer server, String sid) {
    return server.store().sessions().find(sid).orElseThrow().revokedAt() != null;
  }

  record Code(String code, Pkce pkce) {}

  /** A code from the browser's single-sign-on session. */
  private static Code code(OidcBrowser browser, String clientId, String redirectUri) {
    Pkce pkce = Pkce.fresh();
    HttpResponse<String> r =
        browser.get(browser.authorizeUrl(OidcBrowser.request(clientId, redirectUri, pkce)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    return new Code(
        query(URI.create(r.headers().firstValue("Location").orElseThrow())).get("code"), pkce);
  }

  private static void assertInvalidGrant(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(json(r).get("error").asText()).isEqualTo("invalid_grant");
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
  }
}
