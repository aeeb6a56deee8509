package dev.latchkey.sample;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Request;
import dev.latchkey.demo.Chromium;
import dev.latchkey.server.AuthServer;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.users.Argon2Params;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The demo's Angular client pointed at this sample: it logs in against a real auth server and reads
 * and marks lessons through the sample's API (bearer token, CORS), and the admin page shows the
 * sample's {@code /api/admin/progress}. Skipped without Chromium unless browser tests are required.
 */
class DemoClientBrowserTest {
  private static final String STUDENT = "student@example.com";
  private static final String ADMIN = "admin@example.com";
  private static final String PASSWORD = "correct horse battery staple";

  @TempDir static Path dataDir;
  private static StaticClient client;
  private static AuthServer auth;
  private static ConfigurableApplicationContext sample;
  private static volatile String sampleUrl;
  private static Playwright playwright;
  private static Browser browser;

  private BrowserContext context;
  private Page page;

  @BeforeAll
  static void start() throws Exception {
    Chromium.assumeAvailable();
    client = StaticClient.start(DemoClientBrowserTest::clientConfig);
    AuthServerConfig defaults = AuthServerConfig.defaults();
    auth =
        AuthServer.start(
            defaults
                .withHttp(new HttpSettings("localhost", 0, List.of(client.baseUrl()), false))
                .withStore(StoreSettings.embedded(dataDir))
                .withHashing(defaults.hashing().withParams(new Argon2Params(1024, 1, 1))));
    auth.store().users().add(STUDENT, PASSWORD.toCharArray());
    auth.store().users().add(ADMIN, PASSWORD.toCharArray(), List.of("admin"));
    // as an operator runs it: java -jar latchkey-spring-sample.jar --latchkey.issuer-uri=...
    sample =
        SpringApplication.run(
            SampleApplication.class,
            "--server.port=0",
            "--latchkey.issuer-uri=" + auth.issuer(),
            "--sample.cors-origins=" + client.baseUrl());
    sampleUrl = "http://localhost:" + sample.getEnvironment().getProperty("local.server.port");
    playwright = Chromium.playwright();
    browser = Chromium.launch(playwright);
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.close();
    if (playwright != null) playwright.close();
    if (sample != null) sample.close();
    if (auth != null) auth.close();
    if (client != null) client.close();
  }

  /** The client's /config.json: log in at the auth server, send the token to the sample only. */
  private static String clientConfig() {
    return """
        {"authUrl": "%s", "apiOrigins": ["%s"], "apiUrl": "%s", "delivery": "body",
         "signupEnabled": false, "hostedLoginUrl": null}"""
        .formatted(auth.issuer(), sampleUrl, sampleUrl);
  }

  @BeforeEach
  void openPage() {
    context = browser.newContext();
    page = context.newPage();
  }

  @AfterEach
  void closePage() {
    context.close();
  }

  private void logIn(Page on, String email) {
    on.navigate(client.baseUrl() + "/login");
    on.getByTestId("login-email").fill(email);
    on.getByTestId("login-password").fill(PASSWORD);
    on.getByTestId("login-submit").click();
  }

  @Test
  void theStudentReadsAndMarksTheSamplesLessonsAndTheAdminSeesTheProgress() {
    Request lessons = page.waitForRequest(sampleUrl + "/api/lessons", () -> logIn(page, STUDENT));
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
    assertThat(page.getByTestId("lesson-item")).hasCount(5);
    assertThat(page.getByTestId("lesson-item").first()).containsText("What a JWT is");
    String token = (String) page.evaluate("() => localStorage.getItem('id_token')");
    assertThat(lessons.headers().get("authorization")).isEqualTo("Bearer " + token);

    page.getByTestId("lesson-complete").nth(1).click(); // PUT, cross-origin with the bearer token
    assertThat(page.getByTestId("lesson-complete").nth(1)).hasAttribute("aria-pressed", "true");
    assertThat(page.getByTestId("nav-admin")).hasCount(0);
    String studentId = auth.store().users().idOf(STUDENT);

    try (BrowserContext other = browser.newContext()) {
      Page admin = other.newPage();
      logIn(admin, ADMIN);
      admin.getByTestId("nav-admin").click();
      assertThat(admin.getByTestId("admin-progress-row")).hasCount(1);
      assertThat(admin.getByTestId("admin-progress-row")).containsText(studentId);
      assertThat(admin.getByTestId("admin-progress-row")).containsText("2");
    }
  }

  @Test
  void theSampleRefusesAForgedTokenAndTheClientEndsTheSession() {
    logIn(page, STUDENT);
    assertThat(page.getByTestId("lessons-list")).isVisible();
    String token = (String) page.evaluate("() => localStorage.getItem('id_token')");
    String forged =
        token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    page.evaluate("t => localStorage.setItem('id_token', t)", forged);
    page.reload();
    assertThat(page).hasURL(Pattern.compile("/login"));
    assertThat(page.getByTestId("session-message")).isVisible();
  }
}
