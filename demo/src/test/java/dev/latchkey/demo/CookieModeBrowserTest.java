package dev.latchkey.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
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
  private static BrowserSystem running;
  private static RunningSystem system;
  private static Browser browser;

  private BrowserContext context;
  private Page page;

  @BeforeAll
  static void start() {
    running = BrowserSystem.start(dataDir, Duration.ofHours(2), "cookie");
    system = running.system;
    browser = running.browser;
  }

  @AfterAll
  static void stop() {
    if (running != null) running.close();
  }

  @BeforeEach
  void logIn() {
    context = browser.newContext();
    page = context.newPage();
    running.logIn(page, RunningSystem.PASSWORD);
    assertThat(page.getByTestId("lesson-item").first()).isVisible();
  }

  @AfterEach
  void closePage() {
    context.close();
  }

  @Test
  void scriptsCannotReadTheSessionAndNothingIsInStorage() {
    String scriptCookies = (String) page.evaluate("() => document.cookie");
    assertThat(scriptCookies)
        .contains("XSRF-TOKEN=")
        .doesNotContain("latchkey")
        .doesNotContain("eyJ");
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
    Response logout =
        page.waitForResponse(
            response ->
                response.url().endsWith("/api/logout")
                    && response.request().method().equals("POST"),
            () -> page.getByTestId("nav-logout").click());
    assertThat(logout.request().headers().get("x-xsrf-token")).isEqualTo(xsrf);
    assertThat(logout.status()).isEqualTo(204);
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
