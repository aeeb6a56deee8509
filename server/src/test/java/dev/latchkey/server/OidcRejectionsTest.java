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
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.OidcBrowser.Pkce;
import dev.latchkey.server.sessions.RefreshSettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 23: each way {@code /authorize} and {@code /token} refuse a request, one by one over real
 * HTTP, each with the answer RFC 6749 and OpenID Connect give it: an error page without a redirect
 * while the client or its redirect URI is unknown, else the error back to the client with {@code
 * state} and {@code iss}; at the token endpoint a JSON error, never cached, 401 with {@code
 * WWW-Authenticate} for the client's authentication. And a code presented again revokes what its
 * first use issued, refreshed tokens included.
 */
class OidcRejectionsTest {
  @RegisterExtension final ClockedServers servers = new ClockedServers();

  private AuthServer start() {
    AuthServer server =
        servers.start(
            TestDatabase.H2,
            c ->
                c.withSessions(
                    c.sessions().withRefresh(RefreshSettings.on().withMinInterval(Duration.ZERO))));
    server.store().users().add(EMAIL, PASSWORD.toCharArray());
    server.store().oidcClients().add(SPA, List.of(SPA_REDIRECT), null, List.of());
    server.store().oidcClients().add(WEB, List.of(WEB_REDIRECT), WEB_SECRET, List.of());
    return server;
  }

  /** A request of the SPA, changed by {@code change}. */
  private static Map<String, String> spaRequest(Consumer<Map<String, String>> change) {
    Map<String, String> request = OidcBrowser.request(SPA, SPA_REDIRECT, Pkce.fresh());
    change.accept(request);
    return request;
  }

  @Test
  void eachAuthorizationErrorGoesBackToTheClientWithStateAndIssuer() {
    Map<String, Map.Entry<Map<String, String>, String>> cases = new LinkedHashMap<>();
    cases.put(
        "no PKCE",
        Map.entry(
            spaRequest(
                r -> {
                  r.remove("code_challenge");
                  r.remove("code_challenge_method");
                }),
            "invalid_request"));
    cases.put(
        "PKCE plain",
        Map.entry(spaRequest(r -> r.put("code_challenge_method", "plain")), "invalid_request"));
    cases.put(
        "a challenge without its method (plain by default)",
        Map.entry(spaRequest(r -> r.remove("code_challenge_method")), "invalid_request"));
    cases.put(
        "implicit flow",
        Map.entry(
            spaRequest(r -> r.put("response_type", "id_token")), "unsupported_response_type"));
    cases.put(
        "hybrid flow",
        Map.entry(
            spaRequest(r -> r.put("response_type", "code id_token")), "unsupported_response_type"));
    cases.put(
        "form_post",
        Map.entry(spaRequest(r -> r.put("response_mode", "form_post")), "invalid_request"));
    cases.put(
        "prompt=consent",
        Map.entry(spaRequest(r -> r.put("prompt", "consent")), "invalid_request"));
    cases.put(
        "prompt=none with login",
        Map.entry(spaRequest(r -> r.put("prompt", "none login")), "invalid_request"));
    cases.put(
        "a request object",
        Map.entry(spaRequest(r -> r.put("request", "e30.e30.")), "request_not_supported"));
    cases.put(
        "a request URI",
        Map.entry(
            spaRequest(r -> r.put("request_uri", "https://spa.example.com/request.jwt")),
            "request_uri_not_supported"));
    cases.put(
        "no openid scope", Map.entry(spaRequest(r -> r.put("scope", "email")), "invalid_request"));
    try (AuthServer server = start()) {
      OidcBrowser browser = new OidcBrowser(server);
      cases.forEach(
          (what, c) -> {
            HttpResponse<String> r = browser.get(browser.authorizeUrl(c.getKey()));
            assertThat(r.statusCode()).as(what).isEqualTo(302);
            String location = r.headers().firstValue("Location").orElseThrow();
            assertThat(location).as(what).startsWith(SPA_REDIRECT + "?");
            assertThat(query(URI.create(location)))
                .as(what)
                .containsEntry("error", c.getValue())
                .containsEntry("state", "state-spa")
                .containsEntry("iss", server.issuer())
                .doesNotContainKey("code");
          });

      // a parameter given twice (RFC 6749 §3.1), the same over POST
      String twice = browser.authorizeUrl(spaRequest(r -> {})) + "&scope=openid";
      assertThat(query(URI.create(location(browser.get(twice)))))
          .containsEntry("error", "invalid_request")
          .containsEntry("iss", server.issuer());
      HttpResponse<String> posted =
          browser.postForm(
              server.baseUrl() + "/authorize",
              spaRequest(r -> r.put("code_challenge_method", "plain")));
      assertThat(query(URI.create(location(posted)))).containsEntry("error", "invalid_request");
    }
  }

  @Test
  void withoutAKnownClientAndRedirectUriThereIsOnlyAPage() {
    try (AuthServer server = start()) {
      OidcBrowser browser = new OidcBrowser(server);
      List<Map<String, String>> pages =
          List.of(
              spaRequest(r -> r.remove("client_id")),
              spaRequest(r -> r.remove("redirect_uri")),
              spaRequest(r -> r.put("client_id", "nobody")),
              spaRequest(r -> r.put("redirect_uri", WEB_REDIRECT)), // another client's
              // an error that would go back to the client, but the redirect URI is not its own
              spaRequest(
                  r -> {
                    r.put("redirect_uri", "https://evil.example.com/cb");
                    r.remove("code_challenge");
                  }));
      for (Map<String, String> request : pages) {
        HttpResponse<String> get = browser.get(browser.authorizeUrl(request));
        assertThat(get.statusCode()).as("%s", request).isEqualTo(400);
        assertThat(get.headers().firstValue("Location")).as("%s", request).isEmpty();
        assertThat(get.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        HttpResponse<String> post = browser.postForm(server.baseUrl() + "/authorize", request);
        assertThat(post.statusCode()).as("POST %s", request).isEqualTo(400);
        assertThat(post.headers().firstValue("Location")).isEmpty();
      }
      HttpResponse<String> json =
          TestHttp.postJson(server.baseUrl() + "/authorize", "{\"client_id\":\"spa\"}");
      assertThat(json.statusCode()).isEqualTo(415);
      assertThat(json.headers().firstValue("Location")).isEmpty();
    }
  }

  @Test
  void aSignInOlderThanMaxAgeIsAskedForAgainAndPromptNoneThenIsLoginRequired() {
    try (AuthServer server = start()) {
      OidcBrowser browser = new OidcBrowser(server);
      Pkce pkce = Pkce.fresh();
      browser.authorize(
          browser.authorizeUrl(OidcBrowser.request(SPA, SPA_REDIRECT, pkce)), EMAIL, PASSWORD);
      servers.clock().advance(Duration.ofMinutes(10));

      Map<String, String> recent = spaRequest(r -> r.put("max_age", "300"));
      assertThat(location(browser.get(browser.authorizeUrl(recent))))
          .startsWith(server.baseUrl() + "/login?");
      Map<String, String> silent =
          spaRequest(
              r -> {
                r.put("max_age", "300");
                r.put("prompt", "none");
              });
      assertThat(query(URI.create(location(browser.get(browser.authorizeUrl(silent))))))
          .containsEntry("error", "login_required")
          .containsEntry("iss", server.issuer());
      // within max_age: a code at once
      Map<String, String> lenient = spaRequest(r -> r.put("max_age", "3600"));
      assertThat(query(URI.create(location(browser.get(browser.authorizeUrl(lenient))))))
          .containsKey("code");
    }
  }

  @Test
  void eachTokenErrorIsAnRfc6749AnswerNeverCached() {
    try (AuthServer server = start()) {
      OidcBrowser browser = new OidcBrowser(server);
      Pkce pkce = Pkce.fresh();
      URI back =
          browser.authorize(
              browser.authorizeUrl(OidcBrowser.request(SPA, SPA_REDIRECT, pkce)), EMAIL, PASSWORD);
      assertThat(query(back)).containsKey("code");

      Map<String, String> noVerifier = codeForm(browser, SPA, SPA_REDIRECT);
      noVerifier.remove("code_verifier");
      assertError(OidcProviderTest.token(server, noVerifier, null), 400, "invalid_grant");

      Map<String, String> unknown = codeForm(browser, SPA, SPA_REDIRECT);
      unknown.put("code", "not-a-code-we-issued");
      assertError(OidcProviderTest.token(server, unknown, null), 400, "invalid_grant");

      Map<String, String> noRedirect = codeForm(browser, SPA, SPA_REDIRECT);
      noRedirect.remove("redirect_uri");
      assertError(OidcProviderTest.token(server, noRedirect, null), 400, "invalid_grant");

      // client_secret_post with a wrong secret; a public client presenting a secret
      Map<String, String> wrongPost = codeForm(browser, WEB, WEB_REDIRECT);
      wrongPost.put("client_id", WEB);
      wrongPost.put("client_secret", "not-the-secret-at-all-really");
      assertError(OidcProviderTest.token(server, wrongPost, null), 401, "invalid_client");
      Map<String, String> publicWithSecret = codeForm(browser, SPA, SPA_REDIRECT);
      publicWithSecret.remove("client_id");
      assertError(
          OidcProviderTest.token(
              server, publicWithSecret, SPA + ":a-secret-this-client-never-had-at-all"),
          401,
          "invalid_client");
      // client_secret_jwt / private_key_jwt are not supported
      Map<String, String> assertion = codeForm(browser, WEB, WEB_REDIRECT);
      assertion.put(
          "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
      assertion.put("client_assertion", "e30.e30.c2ln");
      assertError(OidcProviderTest.token(server, assertion, null), 401, "invalid_client");

      // no grant_type at all, a GET
      assertError(
          OidcProviderTest.token(server, Map.of("client_id", SPA), null), 400, "invalid_request");
      HttpResponse<String> get =
          TestHttp.send(
              HttpRequest.newBuilder(URI.create(server.baseUrl() + "/token")).GET().build());
      assertThat(get.statusCode()).isBetween(400, 499);
    }
  }

  @Test
  void aCodeUsedAgainAfterARefreshRevokesTheRefreshedTokensToo() throws Exception {
    try (AuthServer server = start()) {
      OidcBrowser browser = new OidcBrowser(server);
      Pkce pkce = Pkce.fresh();
      URI back =
          browser.authorize(
              browser.authorizeUrl(OidcBrowser.request(SPA, SPA_REDIRECT, pkce)), EMAIL, PASSWORD);
      String code = query(back).get("code");
      JsonNode first = json(OidcProviderTest.redeem(server, SPA, code, SPA_REDIRECT, pkce));
      servers.clock().advance(Duration.ofSeconds(5));
      HttpResponse<String> refreshed =
          OidcProviderTest.token(
              server, OidcProviderTest.refreshForm(SPA, first.get("refresh_token").asText()), null);
      assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
      JsonNode second = json(refreshed);
      String access = second.get("access_token").asText();
      assertThat(OidcProviderTest.userinfo(server, access).statusCode()).isEqualTo(200);

      assertError(
          OidcProviderTest.redeem(server, SPA, code, SPA_REDIRECT, pkce), 400, "invalid_grant");

      String sid = SignedJWT.parse(access).getJWTClaimsSet().getStringClaim("sid");
      assertThat(server.store().sessions().find(sid).orElseThrow().revokedAt()).isNotNull();
      assertThat(OidcProviderTest.userinfo(server, access).statusCode()).isEqualTo(401);
      assertError(
          OidcProviderTest.token(
              server,
              OidcProviderTest.refreshForm(SPA, second.get("refresh_token").asText()),
              null),
          400,
          "invalid_grant");
      assertThat(TestHttp.get(server.baseUrl() + "/api/revocations").body()).contains(sid);
      // the browser's single-sign-on session is not the code's: it still signs in
      assertThat(
              query(URI.create(location(browser.get(browser.authorizeUrl(spaRequest(r -> {})))))))
          .containsKey("code");
    }
  }

  @Test
  void aRemovedClientsCodesAndRefreshTokensStopWorkingAtOnce() {
    try (AuthServer server = start()) {
      OidcBrowser browser = new OidcBrowser(server);
      Pkce pkce = Pkce.fresh();
      URI back =
          browser.authorize(
              browser.authorizeUrl(OidcBrowser.request(SPA, SPA_REDIRECT, pkce)), EMAIL, PASSWORD);
      JsonNode tokens =
          json(OidcProviderTest.redeem(server, SPA, query(back).get("code"), SPA_REDIRECT, pkce));
      Map<String, String> pendingCode = codeForm(browser, SPA, SPA_REDIRECT);

      assertThat(server.store().oidcClients().remove(SPA)).isTrue();
      assertError(OidcProviderTest.token(server, pendingCode, null), 401, "invalid_client");
      assertError(
          OidcProviderTest.token(
              server,
              OidcProviderTest.refreshForm(SPA, tokens.get("refresh_token").asText()),
              null),
          401,
          "invalid_client");
      HttpResponse<String> authorize = browser.get(browser.authorizeUrl(spaRequest(r -> {})));
      assertThat(authorize.statusCode()).isEqualTo(400);
      assertThat(authorize.headers().firstValue("Location")).isEmpty();
    }
  }

  /** A token request redeeming a fresh code of the browser's single-sign-on session. */
  private static Map<String, String> codeForm(
      OidcBrowser browser, String clientId, String redirectUri) {
    Pkce pkce = Pkce.fresh();
    HttpResponse<String> r =
        browser.get(browser.authorizeUrl(OidcBrowser.request(clientId, redirectUri, pkce)));
    Map<String, String> f = new LinkedHashMap<>();
    f.put("grant_type", "authorization_code");
    f.put("code", query(URI.create(location(r))).get("code"));
    f.put("redirect_uri", redirectUri);
    f.put("code_verifier", pkce.verifier());
    f.put("client_id", clientId);
    return f;
  }

  private static String location(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    return r.headers().firstValue("Location").orElseThrow();
  }

  private static void assertError(HttpResponse<String> r, int status, String error) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(json(r).get("error").asText()).as(r.body()).isEqualTo(error);
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    if (status == 401) {
      assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
    }
  }
}
