package dev.latchkey.samples.oauth2login;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.latchkey.demo.Chromium;
import dev.latchkey.server.AuthServer;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.testing.FreePort;
import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.RevocationSettings;
import dev.latchkey.verifier.TokenRejectedException;
import dev.latchkey.verifier.wire.BearerToken;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 23: Spring Security's own {@code oauth2Login}, which nobody here wrote, in this sample
 * (configured with the issuer URL, a client id and secret alone) signs a user in against a real
 * Latchkey auth server through the hosted login page in Chromium, with PKCE; shows the ID token's
 * and userinfo's claims; calls a protected route with the access token, which Spring refreshes with
 * the refresh token as it nears its end; and logs out RP-initiated, which ends the single-sign-on
 * session and revokes the session (the protected route, reading the revocation feed, refuses the
 * last access token). Skipped without Chromium unless browser tests are required.
 */
class OAuth2LoginBrowserTest {
  private static final String EMAIL = "ada@example.com";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String CLIENT_ID = "web";
  private static final String CLIENT_SECRET = "a-spring-client-secret-of-some-length";

  @TempDir Path dataDir;
  private AuthServer auth;
  private JwtVerifier verifier;
  private HttpServer api;
  private final List<String> tokensSeen = new CopyOnWriteArrayList<>();
  private ConfigurableApplicationContext sample;
  private Playwright playwright;
  private Browser browser;

  @BeforeEach
  void start() throws Exception {
    Chromium.require(
        Files.isExecutable(Chromium.EXECUTABLE),
        "no Chromium at " + Chromium.EXECUTABLE + " (apt-get install chromium)");
    AuthServerConfig defaults = AuthServerConfig.defaults();
    auth =
        AuthServer.start(
            defaults
                .withHttp(new HttpSettings("localhost", 0, List.of(), false))
                .withStore(StoreSettings.embedded(dataDir))
                .withHashing(defaults.hashing().withParams(new Argon2Params(1024, 1, 1)))
                // 50 s access tokens: within Spring's 60 s clock skew, so each use refreshes
                .withSessions(
                    defaults
                        .sessions()
                        .withRefresh(
                            RefreshSettings.on(
                                    Duration.ofSeconds(50),
                                    Duration.ofHours(1),
                                    Duration.ofHours(8))
                                .withMinInterval(Duration.ZERO))));
    auth.store().users().add(EMAIL, PASSWORD.toCharArray());
    verifier =
        JwtVerifier.withIssuerUri(URI.create(auth.issuer()))
            .audience(defaults.tokens().audience())
            .revocationFeed(
                RevocationSettings.builder(URI.create(auth.baseUrl() + "/api/revocations")).build())
            .build();
    api = protectedApi();

    FreePort.Reservation held = FreePort.reserve(); // until the sample starts on it
    int port = held.port();
    String origin = "http://127.0.0.1:" + port;
    // as an operator registers it: Spring's default redirect URI, the page a logout ends on
    auth.store()
        .oidcClients()
        .add(
            CLIENT_ID,
            List.of(origin + "/login/oauth2/code/latchkey"),
            CLIENT_SECRET,
            List.of(origin + "/signed-out"));
    held.close();
    sample =
        SpringApplication.run(
            OAuth2LoginSample.class,
            "--server.port=" + port,
            "--spring.security.oauth2.client.provider.latchkey.issuer-uri=" + auth.issuer(),
            "--spring.security.oauth2.client.registration.latchkey.client-id=" + CLIENT_ID,
            "--spring.security.oauth2.client.registration.latchkey.client-secret=" + CLIENT_SECRET,
            "--sample.lessons-url=http://127.0.0.1:" + api.getAddress().getPort() + "/api/lessons");
    playwright = Chromium.playwright();
    browser = Chromium.launch(playwright);
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) browser.close();
    if (playwright != null) playwright.close();
    if (sample != null) sample.close();
    if (api != null) api.stop(0);
    if (verifier != null) verifier.close();
    if (auth != null) auth.close();
  }

  @Test
  void oauth2LoginSignsInCallsTheApiRefreshesAndLogsOut() throws Exception {
    String sampleUrl =
        "http://127.0.0.1:" + sample.getEnvironment().getProperty("local.server.port");
    String userId = auth.store().users().idOf(EMAIL);
    try (BrowserContext context = browser.newContext()) {
      Page tab = context.newPage();

      // any page of the application sends an anonymous browser to the provider's login page
      tab.navigate(sampleUrl + "/");
      tab.waitForURL(url -> url.startsWith(auth.baseUrl() + "/login"));
      tab.locator("input[name=email]").fill(EMAIL);
      tab.locator("input[name=password]").fill(PASSWORD);
      tab.locator("form button[type=submit]").first().click();
      tab.waitForURL(url -> url.startsWith(sampleUrl + "/"));
      tab.waitForSelector("#email");
      assertThat(tab.textContent("#email")).isEqualTo(EMAIL); // the ID token
      assertThat(tab.textContent("#subject")).isEqualTo(userId);
      assertThat(tab.textContent("#amr")).isEqualTo("pwd");
      assertThat(tab.textContent("#userinfo-email")).isEqualTo(EMAIL); // read from /userinfo

      // the API twice: each time with an access token Spring has just refreshed
      for (int call = 0; call < 2; call++) {
        tab.navigate(sampleUrl + "/lessons");
        assertThat(tab.textContent("#api-answer")).isEqualTo("200 " + userId);
      }
      assertThat(tokensSeen).hasSize(2);
      assertThat(Set.copyOf(tokensSeen)).as("a refreshed token each time").hasSize(2);
      Set<String> sids =
          tokensSeen.stream().map(OAuth2LoginBrowserTest::sid).collect(Collectors.toSet());
      assertThat(sids).as("one session, refreshed").hasSize(1);
      String sid = sids.iterator().next();

      // RP-initiated logout: Spring's logout sends the browser to the provider's end_session
      tab.navigate(sampleUrl + "/");
      tab.click("#sign-out");
      tab.waitForURL(url -> url.startsWith(sampleUrl + "/signed-out"));
      assertThat(tab.textContent("#signed-out")).contains("signed out");
      assertThat(auth.store().sessions().find(sid).orElseThrow().revokedAt()).isNotNull();
      assertThat(context.cookies(auth.baseUrl())).noneMatch(c -> c.name.endsWith("latchkey-sso"));
      String last = tokensSeen.get(tokensSeen.size() - 1);
      assertThat(callApi(last).statusCode()).as("revoked, through the feed").isEqualTo(401);

      // signed out at the provider too: the next visit asks for the password again
      tab.navigate(sampleUrl + "/");
      tab.waitForURL(url -> url.startsWith(auth.baseUrl() + "/login"));
    }
  }

  /** The API the sample calls: checks the bearer token with the verifier, revocations first. */
  private HttpServer protectedApi() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/lessons",
        exchange -> {
          int status;
          String body;
          String authorization = exchange.getRequestHeaders().getFirst("Authorization");
          try {
            verifier.refreshRevocations();
            body = verifier.verify(BearerToken.parse(authorization)).subject();
            status = 200;
            tokensSeen.add(authorization.substring("Bearer ".length()));
          } catch (TokenRejectedException e) {
            status = 401;
            body = e.reason().toString();
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    return server;
  }

  private HttpResponse<String> callApi(String accessToken) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + api.getAddress().getPort() + "/api/lessons"))
                .header("Authorization", "Bearer " + accessToken)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static String sid(String accessToken) {
    try {
      return SignedJWT.parse(accessToken).getJWTClaimsSet().getStringClaim("sid");
    } catch (java.text.ParseException e) {
      throw new AssertionError(e);
    }
  }
}
