package dev.latchkey.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.Cookie;
import dev.latchkey.server.sessions.RefreshSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cookie mode with refresh sessions, in a real browser: once the session cookie has expired, the
 * refresh cookie ({@code Path=/api/refresh}, which {@code /api/logout} never receives) is all that
 * names the session, and a logout must still end its refresh family.
 */
class CookieLogoutAfterExpiryBrowserTest {
  private static final RefreshSettings REFRESH = RefreshSettings.on();
  private static final String SESSION_COOKIE = "__Host-latchkey";

  @TempDir static Path dataDir;
  private static RunningSystem system;
  private static Playwright playwright;
  private static Browser browser;

  @BeforeAll
  static void start() {
    Chromium.assumeAvailable();
    system =
        RunningSystem.start(
            dataDir,
            Duration.ofHours(2),
            "cookie",
            config -> config.withSessions(config.sessions().withRefresh(REFRESH)));
    playwright = Chromium.playwright();
    browser = Chromium.launch(playwright);
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.close();
    if (playwright != null) playwright.close();
    if (system != null) system.close();
  }

  @Test
  void logoutAfterTheSessionCookieExpiredEndsTheRefreshFamily() throws Exception {
    try (BrowserContext context = browser.newContext()) {
      // the demo's /config.json does not turn the client's refresh on: this test does
      context.route("**/config.json", CookieLogoutAfterExpiryBrowserTest::withRefreshOn);
      Page page = context.newPage();
      page.navigate(system.app.baseUrl() + "/login");
      page.getByTestId("login-email").fill(RunningSystem.EMAIL);
      page.getByTestId("login-password").fill(RunningSystem.PASSWORD);
      page.getByTestId("login-submit").click();
      assertThat(page.getByTestId("lesson-item").first()).isVisible();
      String refreshToken =
          cookie(context, system.auth.baseUrl() + "/api/refresh", REFRESH.cookieName());

      // the session cookie's lifetime is over: the browser no longer has it
      context.clearCookies(new BrowserContext.ClearCookiesOptions().setName(SESSION_COOKIE));
      assertThat(context.cookies(system.app.baseUrl()))
          .noneMatch(c -> c.name.equals(SESSION_COOKIE));

      Response logout =
          page.waitForResponse(
              response ->
                  response.url().endsWith("/api/logout")
                      && response.request().method().equals("POST"),
              () -> page.getByTestId("nav-logout").click());
      assertThat(logout.status()).isEqualTo(204);
      assertThat(page.getByTestId("nav-login")).isVisible();

      // the refresh token the browser held no longer renews anything
      HttpResponse<String> refresh = refreshWith(system.auth.baseUrl(), refreshToken);
      assertThat(refresh.statusCode()).as(refresh.body()).isEqualTo(401);
      assertThat(refresh.body()).contains("invalid_refresh_token");
    }
  }

  private static void withRefreshOn(Route route) {
    String body = route.fetch().text();
    route.fulfill(
        new Route.FulfillOptions()
            .setStatus(200)
            .setContentType("application/json")
            .setBody(body.replaceFirst("\\{", "{\"refreshEnabled\":true,")));
  }

  private static String cookie(BrowserContext context, String url, String name) {
    List<Cookie> cookies = context.cookies(url);
    return cookies.stream()
        .filter(c -> c.name.equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no cookie " + name + " in " + cookies))
        .value;
  }

  /** {@code POST /api/refresh} with that refresh cookie, as the browser would send it. */
  private static HttpResponse<String> refreshWith(String authUrl, String refreshToken)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(authUrl + "/api/refresh"))
            .header("Cookie", REFRESH.cookieName() + "=" + refreshToken)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(30))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }
}
