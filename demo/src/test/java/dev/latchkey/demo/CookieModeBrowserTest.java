package dev.latchkey.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.options.Cookie;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cookie mode in a real browser: the session lives in an HttpOnly cookie that scripts cannot read,
 * and every unsafe request must repeat the XSRF cookie in a header.
 */
class CookieModeBrowserTest {

  @TempDir static Path dataDir;
  private static RunningSystem system;
  private static Playwright playwright;
  private static Browser browser;

  private BrowserContext context;
  private Page page;

  @BeforeAll
  static void start() {
    Chromium.assumeAvailable();
    system = RunningSystem.start(dataDir, Duration.ofHours(2), "cookie");
    playwright = Chromium.playwright();
    browser = Chromium.launch(playwright);
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.close();
    if (playwright != null) playwright.close();
    if (system != null) system.close();
  }

  @BeforeEach
  void logIn() {
    context = browser.newContext();
    page = context.newPage();
    page.navigate(system.app.baseUrl() + "/login");
    page.getByTestId("login-email").fill(RunningSystem.EMAIL);
    page.getByTestId("login-password").fill(RunningSystem.PASSWORD);
    page.getByTestId("login-submit").click();
    assertThat(page.getByTestId("lesson-item").first()).isVisible();
  }

  @AfterEach
  void closePage() {
    context.close();
  }

  @Test
  void scriptsCannotReadTheSessionAndNothingIsInStorage() {
    String scriptCookies = (String) page.evaluate("() => document.cookie");
    assertThat(scriptCookies).contains("XSRF-TOKEN=").doesNotContain("latchkey").doesNotContain("eyJ");
    assertThat(page.evaluate("() => localStorage.getItem('id_token')")).isNull();

    Cookie session = browserCookie("__Host-latchkey");
    assertThat(session.httpOnly).isTrue();
    assertThat(session.secure).isTrue();
    assertThat(session.value).startsWith("eyJ");
  }

  @Test
  void anUnsafeRequestCarriesTheXsrfHeaderAndIsAccepted() {
    Request put =
        page.waitForRequest(
            request -> request.method().equals("PUT"),
            () -> page.getByTestId("lesson-complete").first().click());
    assertThat(put.headers().get("x-xsrf-token")).isEqualTo(browserCookie("XSRF-TOKEN").value);
    assertThat(put.headers()).doesNotContainKey("authorization");
    assertThat(put.response().status()).isEqualTo(200);
    assertThat(page.getByTestId("lesson-complete").first()).hasAttribute("aria-pressed", "true");
  }

  @Test
  void anUnsafeRequestWithoutTheXsrfHeaderIsRefused() {
    Object status =
        page.evaluate(
            "() => fetch('/api/lessons/1/completion', {method: 'PUT', credentials: 'include'})"
                + ".then(r => r.status)");
    assertThat(status).isEqualTo(403);
    Object forged =
        page.evaluate(
            "() => fetch('/api/lessons/1/completion', {method: 'PUT', credentials: 'include',"
                + " headers: {'X-XSRF-TOKEN': 'guessed'}}).then(r => r.status)");
    assertThat(forged).isEqualTo(403);
  }

  @Test
  void logoutSendsTheXsrfHeaderAndEndsTheSession() {
    String xsrf = browserCookie("XSRF-TOKEN").value;
    Request logout =
        page.waitForRequest(
            request -> request.url().endsWith("/api/logout") && request.method().equals("POST"),
            () -> page.getByTestId("nav-logout").click());
    assertThat(logout.headers().get("x-xsrf-token")).isEqualTo(xsrf);
    assertThat(page.getByTestId("nav-login")).isVisible();

    page.navigate(system.app.baseUrl() + "/lessons");
    assertThat(page).hasURL(Pattern.compile("/login"));
    Object status =
        page.evaluate("() => fetch('/api/lessons', {credentials: 'include'}).then(r => r.status)");
    assertThat(status).isEqualTo(401);
  }

  private Cookie browserCookie(String name) {
    List<Cookie> cookies = context.cookies(system.app.baseUrl());
    return cookies.stream()
        .filter(cookie -> cookie.name.equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no cookie " + name + " in " + cookies));
  }
}
