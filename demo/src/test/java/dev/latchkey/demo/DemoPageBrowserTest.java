package dev.latchkey.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Headless Chromium loads the Angular client from the demo server. */
class DemoPageBrowserTest {

  @RegisterExtension static final BrowserJourney journey = BrowserJourney.browserOnly();

  private static DemoServer server;

  @BeforeAll
  static void start() {
    server =
        DemoServer.start(
            DemoConfig.defaults().withPort(0).withAuthUrl(URI.create("http://127.0.0.1:9")));
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  @Test
  void servesTheClientAndRoutesAClientPathToIt(Page page) {
    page.navigate(server.baseUrl() + "/login");
    page.getByTestId("login-email").waitFor();
    assertThat(page.title()).contains("Latchkey");
    assertThat(page.getByTestId("login-submit").isVisible()).isTrue();
  }
}
