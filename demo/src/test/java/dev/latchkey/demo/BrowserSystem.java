package dev.latchkey.demo;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.time.Duration;

/** The running system and a headless Chromium to drive it: what every browser test class needs. */
final class BrowserSystem implements AutoCloseable {

  final RunningSystem system;
  final Browser browser;
  private final Playwright playwright;

  private BrowserSystem(RunningSystem system, Playwright playwright, Browser browser) {
    this.system = system;
    this.playwright = playwright;
    this.browser = browser;
  }

  /** Skips (or fails, where browser tests are required) without Chromium or a built client. */
  static BrowserSystem start(Path dataDir, Duration sessionLength, String delivery) {
    Chromium.assumeAvailable();
    RunningSystem system = RunningSystem.start(dataDir, sessionLength, delivery);
    Playwright playwright = null;
    try {
      playwright = Chromium.playwright();
      return new BrowserSystem(system, playwright, Chromium.launch(playwright));
    } catch (RuntimeException e) {
      if (playwright != null) playwright.close();
      system.close();
      throw e;
    }
  }

  /** Logs in as the demo user through the client's own login page. */
  void logIn(Page page, String password) {
    logIn(page, RunningSystem.EMAIL, password);
  }

  /**
   * Opens the client's login page and submits these credentials; the caller waits for what it
   * expects next (the lessons, or an error).
   */
  void logIn(Page page, String email, String password) {
    page.navigate(system.app.baseUrl() + "/login");
    page.getByTestId("login-email").fill(email);
    page.getByTestId("login-password").fill(password);
    page.getByTestId("login-submit").click();
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
    system.close();
  }
}
