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
import dev.latchkey.server.OidcBrowser.Pkce;
import dev.latchkey.server.sessions.RefreshSettings;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 23: the provider's requests are counted on the metrics port by outcome ({@code
 * latchkey_oidc_authorizations_total{outcome}}, {@code latchkey_oidc_tokens_total{grant,outcome}}),
 * a reused code apart from other refused grants, and the exposition names no client, user or code.
 */
class OidcMetricsTest {
  @RegisterExtension final ClockedServers servers = new ClockedServers();

  @Test
  void authorizationAndTokenOutcomesAreCountedWithoutNamingAnyone() {
    try (AuthServer server =
        servers.start(
            TestDatabase.H2,
            c ->
                TestHttp.withMetrics(c)
                    .withSessions(c.sessions().withRefresh(RefreshSettings.on())))) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      server.store().oidcClients().add(SPA, List.of(SPA_REDIRECT), null, List.of());
      server.store().oidcClients().add(WEB, List.of(WEB_REDIRECT), WEB_SECRET, List.of());
      String before = TestHttp.get(TestHttp.metricsUrl(server)).body();
      assertThat(value(before, "latchkey_oidc_authorizations_total", "outcome=\"code\"")).isZero();
      assertThat(
              value(
                  before,
                  "latchkey_oidc_tokens_total",
                  "grant=\"authorization_code\",outcome=\"code_reused\""))
          .isZero();

      OidcBrowser browser = new OidcBrowser(server);
      browser.get(
          browser.authorizeUrl(
              OidcBrowser.request("nobody", "https://evil.example.com/cb", Pkce.fresh())));
      browser.get(
          browser.authorizeUrl(
              OidcBrowser.request(SPA, "https://evil.example.com/cb", Pkce.fresh())));
      Map<String, String> noPkce = OidcBrowser.request(SPA, SPA_REDIRECT, Pkce.fresh());
      noPkce.remove("code_challenge");
      browser.get(browser.authorizeUrl(noPkce));
      Map<String, String> none = OidcBrowser.request(SPA, SPA_REDIRECT, Pkce.fresh());
      none.put("prompt", "none");
      browser.get(browser.authorizeUrl(none));

      Pkce pkce = Pkce.fresh();
      URI back =
          browser.authorize(
              browser.authorizeUrl(OidcBrowser.request(SPA, SPA_REDIRECT, pkce)), EMAIL, PASSWORD);
      String code = query(back).get("code");
      JsonNode tokens = json(OidcProviderTest.redeem(server, SPA, code, SPA_REDIRECT, pkce));
      OidcProviderTest.redeem(server, SPA, code, SPA_REDIRECT, pkce); // reused
      OidcProviderTest.token(
          server,
          OidcProviderTest.refreshForm(SPA, tokens.get("refresh_token").asText()),
          null); // revoked by the reuse
      OidcProviderTest.token(
          server,
          Map.of("grant_type", "refresh_token", "refresh_token", "x"),
          WEB + ":not-the-secret-at-all-really");
      OidcProviderTest.token(
          server, Map.of("grant_type", "client_credentials"), WEB + ":" + WEB_SECRET);
      TestHttp.postJson(server.baseUrl() + "/token", "{}");

      String after = TestHttp.get(TestHttp.metricsUrl(server)).body();
      String a = "latchkey_oidc_authorizations_total";
      assertThat(value(after, a, "outcome=\"unknown_client\"")).isEqualTo(1);
      assertThat(value(after, a, "outcome=\"redirect_uri_mismatch\"")).isEqualTo(1);
      assertThat(value(after, a, "outcome=\"refused\"")).isEqualTo(1);
      assertThat(value(after, a, "outcome=\"login_required\"")).isEqualTo(1);
      assertThat(value(after, a, "outcome=\"login_page\"")).isEqualTo(1);
      assertThat(value(after, a, "outcome=\"code\"")).isEqualTo(1);
      String t = "latchkey_oidc_tokens_total";
      assertThat(value(after, t, "grant=\"authorization_code\",outcome=\"issued\"")).isEqualTo(1);
      assertThat(value(after, t, "grant=\"authorization_code\",outcome=\"code_reused\""))
          .isEqualTo(1);
      assertThat(value(after, t, "grant=\"authorization_code\",outcome=\"invalid_grant\""))
          .isZero();
      assertThat(value(after, t, "grant=\"refresh_token\",outcome=\"invalid_grant\"")).isEqualTo(1);
      assertThat(value(after, t, "grant=\"refresh_token\",outcome=\"invalid_client\""))
          .isEqualTo(1);
      assertThat(value(after, t, "grant=\"other\",outcome=\"unsupported_grant_type\""))
          .isEqualTo(1);
      assertThat(value(after, t, "grant=\"other\",outcome=\"invalid_request\"")).isEqualTo(1);

      assertThat(after)
          .doesNotContain(SPA_REDIRECT)
          .doesNotContain("\"" + WEB + "\"")
          .doesNotContain("nobody")
          .doesNotContain(EMAIL)
          .doesNotContain(code);
    }
  }

  /** A counter's value in a Prometheus exposition; fails when the series is not there. */
  static double value(String exposition, String name, String labels) {
    Matcher m =
        Pattern.compile(
                "^" + Pattern.quote(name + "{" + labels) + "[^}]*\\} ([0-9.eE+-]+)$",
                Pattern.MULTILINE)
            .matcher(exposition);
    assertThat(m.find()).as("%s{%s} in the exposition", name, labels).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
