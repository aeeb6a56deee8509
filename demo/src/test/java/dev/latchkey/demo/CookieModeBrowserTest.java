package dev.latchkey.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.Cookie;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cookie mode in a real browser: the session lives in an HttpOnly cookie that scripts cannot read,
 * and every unsafe request must repeat the XSRF cookie in a header.
 */
class CookieModeBrowserTest {

  @RegisterExtension static final BrowserJourney journey = BrowserJourney.cookieMode();

  @BeforeEach
  void logIn() {
    journey.logIn(RunningSystem.PASSWORD);
    assertThat(journey.page().getByTestId("lesson-item").first()).isVisible();
  }

  @Test
  void scriptsCannotReadTheSessionAndNothingIsInStorage(Page page) {
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
  void anUnsafeRequestCarriesTheXsrfHeaderAndIsAccepted(Page page) {
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
  void anUnsafeRequestWithoutTheXsrfHeaderIsRefused(Page page) {
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
  void logoutSendsTheXsrfHeaderAndEndsTheSession(Page page) {
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

    page.navigate(journey.appUrl() + "/lessons");
    assertThat(page).hasURL(Pattern.compile("/login"));
    Object status =
        page.evaluate("() => fetch('/api/lessons', {credentials: 'include'}).then(r => r.status)");
    assertThat(status).isEqualTo(401);
  }

  private Cookie browserCookie(String name) {
    List<Cookie> cookies = journey.context().cookies(journey.appUrl());
    return cookies.stream()
        .filter(cookie -> cookie.name.equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no cookie " + name + " in " + cookies));
  }
}
