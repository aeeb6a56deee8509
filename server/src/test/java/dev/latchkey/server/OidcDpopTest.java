package dev.latchkey.server;

import static dev.latchkey.server.OidcBrowser.query;
import static dev.latchkey.server.OidcProviderTest.EMAIL;
import static dev.latchkey.server.OidcProviderTest.PASSWORD;
import static dev.latchkey.server.OidcProviderTest.SPA;
import static dev.latchkey.server.OidcProviderTest.SPA_REDIRECT;
import static dev.latchkey.server.TestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.OidcBrowser.Pkce;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 24 at the OpenID provider's token endpoint (RFC 9449 §5): a token request with a valid
 * {@code DPoP} proof gets {@code token_type: DPoP} and an access token with {@code cnf.jkt}, and
 * the refresh token works only with proofs of the same key.
 */
class OidcDpopTest {
  @RegisterExtension final ClockedServers servers = new ClockedServers();
  private final MutableClock clock = servers.clock();

  private AuthServer start() {
    AuthServer server =
        servers.start(
            TestDatabase.H2, c -> c.withSessions(c.sessions().withRefresh(RefreshSettings.on())));
    server.store().users().add(EMAIL, PASSWORD.toCharArray());
    server.store().oidcClients().add(SPA, List.of(SPA_REDIRECT), null, List.of());
    return server;
  }

  private static HttpResponse<String> token(
      AuthServer server, Map<String, String> form, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.publicUrl() + "/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(OidcBrowser.form(form)));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return TestHttp.send(b.build());
  }

  private String proof(AuthServer server, DpopKey key) {
    return key.proof("POST", server.publicUrl() + "/token", clock.instant(), null);
  }

  /** The code of a hosted-page sign-in (with offline_access: a refresh token too). */
  private static Map<String, String> codeRequest(AuthServer server, Pkce pkce) {
    OidcBrowser browser = new OidcBrowser(server);
    Map<String, String> request = new LinkedHashMap<>(OidcBrowser.request(SPA, SPA_REDIRECT, pkce));
    request.put("scope", "openid offline_access");
    URI back = browser.authorize(browser.authorizeUrl(request), EMAIL, PASSWORD);
    Map<String, String> f = new LinkedHashMap<>();
    f.put("grant_type", "authorization_code");
    f.put("code", query(back).get("code"));
    f.put("redirect_uri", SPA_REDIRECT);
    f.put("code_verifier", pkce.verifier());
    f.put("client_id", SPA);
    return f;
  }

  private static void assertDpopRefused(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(json(r).get("error").asText()).isEqualTo("invalid_dpop_proof");
    assertThat(json(r).get("error_description").asText()).isNotBlank();
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith("DPoP ")
        .contains("error=\"invalid_dpop_proof\"");
  }

  @Test
  void theTokenEndpointBindsTokensAndTheRefreshTokenToTheProofsKey() throws Exception {
    DpopKey key = DpopKey.generate();
    DpopKey other = DpopKey.generate();
    try (AuthServer server = start()) {
      HttpResponse<String> r =
          token(server, codeRequest(server, Pkce.fresh()), "DPoP", proof(server, key));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode tokens = json(r);
      assertThat(tokens.get("token_type").asText()).isEqualTo("DPoP");
      assertThat(
              SignedJWT.parse(tokens.get("access_token").asText())
                  .getJWTClaimsSet()
                  .getJSONObjectClaim("cnf"))
          .containsEntry("jkt", key.thumbprint());
      String refreshToken = tokens.get("refresh_token").asText();

      Map<String, String> refresh = OidcProviderTest.refreshForm(SPA, refreshToken);
      assertDpopRefused(token(server, refresh, "DPoP", proof(server, other)));
      assertDpopRefused(token(server, refresh));

      clock.advance(Duration.ofSeconds(1));
      HttpResponse<String> refreshed = token(server, refresh, "DPoP", proof(server, key));
      assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
      assertThat(json(refreshed).get("token_type").asText()).isEqualTo("DPoP");
    }
  }

  @Test
  void aRefusedProofIsInvalidDpopProofAndTheCodeIsNotSpent() {
    DpopKey key = DpopKey.generate();
    try (AuthServer server = start()) {
      Map<String, String> redeem = codeRequest(server, Pkce.fresh());
      assertDpopRefused(
          token(
              server,
              redeem,
              "DPoP",
              key.proof("POST", server.publicUrl() + "/authorize", clock.instant(), null)));
      HttpResponse<String> r = token(server, redeem);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(json(r).get("token_type").asText()).isEqualTo("Bearer");
    }
  }

  private static HttpResponse<String> userInfo(AuthServer server, String... headers) {
    return TestHttp.get(server.publicUrl() + "/userinfo", headers);
  }

  /**
   * {@code /userinfo} takes a bound access token as {@code Authorization: DPoP} with a proof of its
   * key (RFC 9449 §7); as {@code Bearer}, without a proof, with another key's or a spent proof it
   * is {@code 401} with a {@code DPoP} challenge and the OAuth error body.
   */
  @Test
  void userInfoTakesABoundAccessTokenWithAProofOfItsKeyOnly() {
    DpopKey key = DpopKey.generate();
    DpopKey other = DpopKey.generate();
    try (AuthServer server = start()) {
      HttpResponse<String> r =
          token(server, codeRequest(server, Pkce.fresh()), "DPoP", proof(server, key));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      String access = json(r).get("access_token").asText();
      String url = server.publicUrl() + "/userinfo";
      String proof = key.proof("GET", url, clock.instant(), null, access);

      HttpResponse<String> claims =
          userInfo(server, "Authorization", "DPoP " + access, "DPoP", proof);
      assertThat(claims.statusCode()).as(claims.body()).isEqualTo(200);
      assertThat(json(claims).get("sub").asText()).isNotBlank();

      assertUserInfoRefused(
          userInfo(server, "Authorization", "DPoP " + access, "DPoP", proof), "invalid_dpop_proof");
      assertUserInfoRefused(
          userInfo(
              server,
              "Authorization",
              "DPoP " + access,
              "DPoP",
              other.proof("GET", url, clock.instant(), null, access)),
          "invalid_dpop_proof");
      assertUserInfoRefused(
          userInfo(server, "Authorization", "DPoP " + access), "invalid_dpop_proof");
      assertUserInfoRefused(userInfo(server, "Authorization", "Bearer " + access), "invalid_token");
    }
  }

  private static void assertUserInfoRefused(HttpResponse<String> r, String error) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    assertThat(json(r).get("error").asText()).isEqualTo(error);
    assertThat(json(r).get("error_description").asText()).isNotBlank();
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith("DPoP ")
        .contains("error=\"" + error + "\"");
  }
}
