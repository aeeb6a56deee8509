package dev.latchkey.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PageAssertions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session configured to last a few seconds ends by itself and returns to the login page. */
class SessionExpiryBrowserTest {

  @TempDir static Path dataDir;
  private static BrowserSystem running;
  private static Browser browser;

  @BeforeAll
  static void start() {
    running = BrowserSystem.start(dataDir, Duration.ofSeconds(4), "body");
    browser = running.browser;
  }

  @AfterAll
  static void stop() {
    if (running != null) running.close();
  }

  @Test
  void anExpiredSessionReturnsToLoginWithAMessage() {
    try (Page page = browser.newPage()) {
      running.logIn(page, RunningSystem.PASSWORD);
      assertThat(page.getByTestId("lessons-list")).isVisible();

      assertThat(page)
          .hasURL(Pattern.compile("/login"), new PageAssertions.HasURLOptions().setTimeout(15_000));
      assertThat(page.getByTestId("session-message"))
          .isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(5_000));
      assertThat(page.evaluate("() => localStorage.getItem('id_token')")).isNull();
    }
  }
}
