package dev.latchkey.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's "separately hosted login page": log in on the auth server, come back logged in. */
class HostedLoginBrowserTest {

  @TempDir static Path dataDir;
  private static BrowserSystem running;
  private static RunningSystem system;
  private static Browser browser;

  @BeforeAll
  static void start() {
    running = BrowserSystem.start(dataDir, Duration.ofHours(2), "body");
    system = running.system;
    browser = running.browser;
  }

  @AfterAll
  static void stop() {
    if (running != null) running.close();
  }

  @Test
  void theHostedPageRedirectsBackLoggedIn() {
    try (Page page = browser.newPage()) {
      page.navigate(system.app.baseUrl() + "/login");
      page.getByTestId("hosted-login").click();
      assertThat(page).hasURL(Pattern.compile("^" + system.auth.baseUrl() + "/login\\?"));
      Screenshots.save(page, "hosted-login");

      page.locator("input[name=email]").fill(RunningSystem.EMAIL);
      page.locator("input[name=password]").fill("not the password");
      page.locator("form button[type=submit], form input[type=submit]").first().click();
      assertThat(page.locator("body")).containsText("incorrect");

      page.locator("input[name=password]").fill(RunningSystem.PASSWORD);
      page.locator("form button[type=submit], form input[type=submit]").first().click();

      assertThat(page).hasURL(Pattern.compile("^" + system.app.baseUrl() + "/lessons"));
      assertThat(page.getByTestId("lesson-item").first()).isVisible();
      assertThat((String) page.evaluate("() => localStorage.getItem('id_token')"))
          .startsWith("eyJ");
    }
  }

  @Test
  void afterAHostedLoginAndALogoutTheCallbackShowsTheLoginPage() {
    try (com.microsoft.playwright.BrowserContext context = browser.newContext();
        Page page = context.newPage()) {
      page.navigate(system.app.baseUrl() + "/login");
      page.getByTestId("hosted-login").click();
      page.locator("input[name=email]").fill(RunningSystem.EMAIL);
      page.locator("input[name=password]").fill(RunningSystem.PASSWORD);
      page.locator("form button[type=submit], form input[type=submit]").first().click();
      assertThat(page).hasURL(Pattern.compile("^" + system.app.baseUrl() + "/lessons"));
      assertThat(page.getByTestId("nav-logout")).isVisible();

      page.waitForResponse("**/api/logout", () -> page.getByTestId("nav-logout").click());
      assertThat(page.getByTestId("nav-login")).isVisible();

      // The hosted login's session cookie went with the logout: nothing logs the user back in.
      page.navigate(system.app.baseUrl() + "/auth/callback");
      assertThat(page).hasURL(Pattern.compile("/login"));
      assertThat(page.getByTestId("login-email")).isVisible();
      assertThat((String) page.evaluate("() => localStorage.getItem('id_token')")).isNull();
    }
  }

  @Test
  void aForeignReturnToGoesToTheDefaultTarget() {
    try (Page page = browser.newPage()) {
      page.navigate(system.auth.baseUrl() + "/login?return_to=https://evil.example/steal");
      page.locator("input[name=email]").fill(RunningSystem.EMAIL);
      page.locator("input[name=password]").fill(RunningSystem.PASSWORD);
      page.locator("form button[type=submit], form input[type=submit]").first().click();
      assertThat(page).hasURL(Pattern.compile("^" + system.app.baseUrl() + "/"));
    }
  }
}
