package dev.latchkey.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The seed's "separately hosted login page": log in on the auth server, come back logged in. */
class HostedLoginBrowserTest {

  @RegisterExtension static final BrowserJourney journey = BrowserJourney.bodyMode();

  @Test
  void theHostedPageRedirectsBackLoggedIn(Page page) {
    page.navigate(journey.appUrl() + "/login");
    page.getByTestId("hosted-login").click();
    assertThat(page).hasURL(Pattern.compile("^" + journey.authUrl() + "/login\\?"));
    Screenshots.save(page, "hosted-login");

    page.locator("input[name=email]").fill(RunningSystem.EMAIL);
    page.locator("input[name=password]").fill("not the password");
    page.locator("form button[type=submit], form input[type=submit]").first().click();
    assertThat(page.locator("body")).containsText("incorrect");

    page.locator("input[name=password]").fill(RunningSystem.PASSWORD);
    page.locator("form button[type=submit], form input[type=submit]").first().click();

    assertThat(page).hasURL(Pattern.compile("^" + journey.appUrl() + "/lessons"));
    assertThat(page.getByTestId("lesson-item").first()).isVisible();
    assertThat((String) page.evaluate("() => localStorage.getItem('id_token')")).startsWith("eyJ");
    // the callback's GET /api/session carried a proof: the session is bound to this browser's key
    assertThat(page.evaluate("() => localStorage.getItem('token_type')")).isEqualTo("DPoP");
  }

  @Test
  void afterAHostedLoginAndALogoutTheCallbackShowsTheLoginPage(Page page) {
    page.navigate(journey.appUrl() + "/login");
    page.getByTestId("hosted-login").click();
    page.locator("input[name=email]").fill(RunningSystem.EMAIL);
    page.locator("input[name=password]").fill(RunningSystem.PASSWORD);
    page.locator("form button[type=submit], form input[type=submit]").first().click();
    assertThat(page).hasURL(Pattern.compile("^" + journey.appUrl() + "/lessons"));
    assertThat(page.getByTestId("nav-logout")).isVisible();

    page.waitForResponse("**/api/logout", () -> page.getByTestId("nav-logout").click());
    assertThat(page.getByTestId("nav-login")).isVisible();

    // The hosted login's session cookie went with the logout: nothing logs the user back in.
    page.navigate(journey.appUrl() + "/auth/callback");
    assertThat(page).hasURL(Pattern.compile("/login"));
    assertThat(page.getByTestId("login-email")).isVisible();
    assertThat((String) page.evaluate("() => localStorage.getItem('id_token')")).isNull();
  }

  @Test
  void aForeignReturnToGoesToTheDefaultTarget(Page page) {
    page.navigate(journey.authUrl() + "/login?return_to=https://evil.example/steal");
    page.locator("input[name=email]").fill(RunningSystem.EMAIL);
    page.locator("input[name=password]").fill(RunningSystem.PASSWORD);
    page.locator("form button[type=submit], form input[type=submit]").first().click();
    assertThat(page).hasURL(Pattern.compile("^" + journey.appUrl() + "/"));
  }
}
