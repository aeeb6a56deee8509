package dev.latchkey.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Headless Chromium loads the Angular client from the demo server. */
class DemoPageBrowserTest {

  private static DemoServer server;
  private static Playwright playwright;
  private static Browser browser;

  @BeforeAll
  static void start() {
    Chromium.assumeAvailable();
    server =
        DemoServer.start(
            DemoConfig.defaults().withPort(0).withAuthUrl(URI.create("http://127.0.0.1:9")));
    playwright = Chromium.playwright();
    browser = Chromium.launch(playwright);
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.close();
    if (playwright != null) playwright.close();
    if (server != null) server.close();
  }

  @Test
  void servesTheClientAndRoutesAClientPathToIt() {
    try (Page page = browser.newPage()) {
      page.navigate(server.baseUrl() + "/login");
      page.getByTestId("login-email").waitFor();
      assertThat(page.title()).contains("Latchkey");
      assertThat(page.getByTestId("login-submit").isVisible()).isTrue();
    }
  }
}
