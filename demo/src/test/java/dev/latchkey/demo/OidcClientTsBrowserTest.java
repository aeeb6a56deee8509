package dev.latchkey.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;
import dev.latchkey.server.AuthServer;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.testing.FreePort;
import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.TokenRejectedException;
import dev.latchkey.verifier.wire.BearerToken;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23: oidc-client-ts 3.5.0 (from npm, in {@code demo/oidc-client-ts}), which nobody here
 * wrote, in Chromium: a small page served by this test, configured with nothing but the issuer, a
 * client id and a redirect URI, signs in through the hosted login page with PKCE, calls a protected
 * route with the access token, reads userinfo, refreshes and logs out. Skipped without Chromium or
 * without {@code npm install} in {@code demo/oidc-client-ts}.
 */
class OidcClientTsBrowserTest {
  private static final Path BUNDLE =
      Path.of(
          System.getProperty("latchkey.oidcClientTs", "oidc-client-ts"),
          "node_modules/oidc-client-ts/dist/browser/oidc-client-ts.min.js");
  private static final String EMAIL = "ada@example.com";
  private static final String PASSWORD = "correct horse battery staple";

  @RegisterExtension
  static final BrowserJourney journey =
      BrowserJourney.browserOnly()
          .requires(
              () -> Files.isRegularFile(BUNDLE),
              "oidc-client-ts not installed: npm install in demo/oidc-client-ts");

  @TempDir Path dataDir;

  @Test
  void oidcClientTsSignsInCallsAProtectedRouteRefreshesAndLogsOut(Page tab) throws Exception {
    FreePort.Reservation pagePortHeld = FreePort.reserve(); // until the page server binds it
    int pagePort = pagePortHeld.port();
    String pageOrigin = "http://127.0.0.1:" + pagePort;
    AuthServerConfig defaults = AuthServerConfig.defaults();
    AuthServerConfig config =
        defaults
            .withHttp(new HttpSettings("localhost", 0, List.of(pageOrigin), true))
            .withStore(StoreSettings.embedded(dataDir))
            .withHashing(defaults.hashing().withParams(new Argon2Params(1024, 1, 1)))
            .withSessions(
                defaults
                    .sessions()
                    .withRefresh(RefreshSettings.on().withMinInterval(Duration.ZERO)));
    try (AuthServer auth = AuthServer.start(config);
        JwtVerifier verifier =
            JwtVerifier.withIssuerUri(URI.create(auth.issuer()))
                .audience(config.tokens().audience())
                .build()) {
      auth.store().users().add(EMAIL, PASSWORD.toCharArray());
      // a loopback IP without port: any port matches (RFC 8252)
      auth.store()
          .oidcClients()
          .add(
              "spa",
              List.of("http://127.0.0.1/callback.html"),
              null,
              List.of(pageOrigin + "/bye.html"));
      pagePortHeld.close();
      HttpServer page = pageServer(pagePort, auth.issuer(), verifier);
      try {
        tab.navigate(pageOrigin + "/index.html");
        tab.click("#sign-in");
        tab.waitForURL(url -> url.contains("/login"));
        tab.locator("input[name=email]").fill(EMAIL);
        tab.locator("input[name=password]").fill(PASSWORD);
        tab.locator("form button[type=submit], form input[type=submit]").first().click();
        tab.waitForURL(url -> url.startsWith(pageOrigin + "/callback.html"));
        JsonNode signedIn = result(tab);
        String userId = auth.store().users().idOf(EMAIL);
        assertThat(signedIn.get("sub").asText()).isEqualTo(userId);
        assertThat(signedIn.get("email").asText()).isEqualTo(EMAIL); // from /userinfo
        assertThat(signedIn.get("protected").asText()).isEqualTo("200 " + userId);
        assertThat(signedIn.get("hasRefreshToken").asBoolean()).isTrue();

        tab.click("#refresh");
        tab.waitForSelector("#result[data-step=refreshed]");
        JsonNode refreshed = result(tab);
        assertThat(refreshed.get("newAccessToken").asBoolean()).isTrue();
        assertThat(refreshed.get("protected").asText()).isEqualTo("200 " + userId);

        String sid = signedIn.get("sid").asText();
        tab.click("#sign-out");
        tab.waitForURL(url -> url.startsWith(pageOrigin + "/bye.html"));
        assertThat(tab.url()).contains("state=");
        assertThat(auth.store().sessions().find(sid).orElseThrow().revokedAt()).isNotNull();
        assertThat(tab.context().cookies(auth.baseUrl()))
            .noneMatch(c -> c.name.endsWith("latchkey-sso"));
      } finally {
        page.stop(0);
      }
    }
  }

  private static JsonNode result(Page tab) throws IOException {
    tab.waitForSelector("#result[data-step]");
    return new ObjectMapper().readTree(tab.textContent("#result"));
  }

  /** The app: its page, oidc-client-ts's bundle, and a protected route. */
  private static HttpServer pageServer(int port, String issuer, JwtVerifier verifier)
      throws IOException {
    String settings =
        "const mgr = new oidc.UserManager({authority: "
            + json(issuer)
            + ", client_id: 'spa', redirect_uri: location.origin + '/callback.html',"
            + " post_logout_redirect_uri: location.origin + '/bye.html',"
            + " scope: 'openid email offline_access', loadUserInfo: true});\n";
    String show =
        "async function show(step, user, extra) {\n"
            + "  const r = await fetch('/api/whoami', {headers: {Authorization: 'Bearer ' +"
            + " user.access_token}});\n"
            + "  const out = Object.assign({sub: user.profile.sub, email: user.profile.email,"
            + " sid: user.profile.sid, hasRefreshToken: !!user.refresh_token,"
            + " protected: r.status + ' ' + await r.text()}, extra);\n"
            + "  const el = document.getElementById('result');\n"
            + "  el.textContent = JSON.stringify(out); el.dataset.step = step;\n"
            + "}\n";
    Map<String, String> pages =
        Map.of(
            "/index.html",
            page(
                "<button id=\"sign-in\">Sign in</button>",
                settings
                    + "document.getElementById('sign-in').onclick = () => mgr.signinRedirect();"),
            "/callback.html",
            page(
                "<pre id=\"result\"></pre><button id=\"refresh\">Refresh</button>"
                    + "<button id=\"sign-out\">Sign out</button>",
                settings
                    + show
                    + "let first;\n"
                    + "mgr.signinRedirectCallback().then(u => { first = u;"
                    + " return show('signed-in', u, {}); })\n"
                    + "  .catch(e => { document.getElementById('result').textContent ="
                    + " 'error ' + e; });\n"
                    + "document.getElementById('refresh').onclick = async () => {\n"
                    + "  const u = await mgr.signinSilent();\n"
                    + "  await show('refreshed', u, {newAccessToken: u.access_token !=="
                    + " first.access_token});\n"
                    + "};\n"
                    + "document.getElementById('sign-out').onclick = () =>"
                    + " mgr.signoutRedirect({state: 'bye'});"),
            "/bye.html",
            page("<p>Signed out.</p>", ""));
    byte[] bundle = Files.readAllBytes(BUNDLE);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          byte[] body;
          String type = "text/html; charset=utf-8";
          int status = 200;
          if (path.equals("/oidc-client-ts.min.js")) {
            body = bundle;
            type = "text/javascript";
          } else if (path.equals("/api/whoami")) {
            type = "text/plain";
            try {
              body =
                  verifier
                      .verify(
                          BearerToken.parse(exchange.getRequestHeaders().getFirst("Authorization")))
                      .subject()
                      .getBytes(StandardCharsets.UTF_8);
            } catch (TokenRejectedException e) {
              status = 401;
              body = e.reason().toString().getBytes(StandardCharsets.UTF_8);
            }
          } else if (pages.containsKey(path)) {
            body = pages.get(path).getBytes(StandardCharsets.UTF_8);
          } else {
            status = 404;
            body = new byte[0];
          }
          exchange.getResponseHeaders().set("Content-Type", type);
          exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
          if (body.length > 0) {
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
    return server;
  }

  private static String page(String body, String script) {
    return "<!doctype html><html><head><meta charset=\"utf-8\">"
        + "<script src=\"/oidc-client-ts.min.js\"></script></head><body>"
        + body
        + "<script>"
        + script
        + "</script></body></html>";
  }

  private static String json(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
