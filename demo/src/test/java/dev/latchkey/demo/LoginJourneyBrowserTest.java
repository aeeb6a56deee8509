package dev.latchkey.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's journey in a real browser against the real auth server and demo server. */
class LoginJourneyBrowserTest {

  @TempDir static Path dataDir;
  private static BrowserSystem running;
  private static RunningSystem system;
  private static Browser browser;

  private BrowserContext context;
  private Page page;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

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

  @BeforeEach
  void openPage() {
    context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1100, 720));
    page = context.newPage();
    page.onRequest(requests::add);
  }

  @AfterEach
  void closePage() {
    context.close();
  }

  private void logIn(String password) {
    running.logIn(page, password);
  }

  private Object storage(String key) {
    return page.evaluate("key => localStorage.getItem(key)", key);
  }

  @Test
  void wrongPasswordShowsTheErrorAndStoresNothing() {
    logIn("not the password");
    assertThat(page.getByTestId("login-error")).isVisible();
    assertThat(page.getByTestId("login-error")).containsText("Wrong email or password");
    assertThat(page).hasURL(Pattern.compile("/login"));
    assertThat(storage("id_token")).isNull();
  }

  @Test
  void loginShowsTheLessonsAndTheTokenGoesToTheApiOnly() {
    page.navigate(system.app.baseUrl() + "/login");
    page.getByTestId("login-email").waitFor();
    Screenshots.save(page, "login");

    logIn(RunningSystem.PASSWORD);
    assertThat(page).hasURL(Pattern.compile("/lessons"));
    assertThat(page.getByTestId("lesson-item")).hasCount(Lesson.CATALOGUE.size());
    assertThat(page.getByTestId("nav-logout")).isVisible();
    Screenshots.save(page, "lessons");

    String token = (String) storage("id_token");
    assertThat(token).isNotBlank().matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    long expiresAt = Long.parseLong((String) storage("expires_at"));
    assertThat(expiresAt).isGreaterThan(System.currentTimeMillis() + 3_600_000L);

    Request lessons = requestTo(system.app.baseUrl() + "/api/lessons");
    assertThat(lessons.headers().get("authorization")).isEqualTo("Bearer " + token);
    Request login = requestTo(system.auth.baseUrl() + "/api/login");
    assertThat(login.headers()).doesNotContainKey("authorization");
  }

  @Test
  void aReloadKeepsTheSession() {
    logIn(RunningSystem.PASSWORD);
    assertThat(page.getByTestId("lessons-list")).isVisible();
    page.reload();
    assertThat(page).hasURL(Pattern.compile("/lessons"));
    assertThat(page.getByTestId("lesson-item").first()).isVisible();
  }

  @Test
  void logoutEmptiesStorageAndTheLessonsRouteSendsBackToLogin() {
    logIn(RunningSystem.PASSWORD);
    assertThat(page.getByTestId("lessons-list")).isVisible();
    page.getByTestId("nav-logout").click();
    assertThat(page.getByTestId("nav-login")).isVisible();
    assertThat(storage("id_token")).isNull();
    assertThat(storage("expires_at")).isNull();

    page.navigate(system.app.baseUrl() + "/lessons");
    assertThat(page).hasURL(Pattern.compile("/login"));
    assertThat(page.getByTestId("login-email")).isVisible();
  }

  @Test
  void afterLogoutACopiedTokenIsRefusedByTheApiWithinTheFeedBound() throws Exception {
    logIn(RunningSystem.PASSWORD);
    assertThat(page.getByTestId("lessons-list")).isVisible();
    String copied = (String) storage("id_token"); // what an XSS or a shared computer keeps
    assertThat(lessons(copied)).isEqualTo(200);

    Request logout =
        page.waitForRequest("**/api/logout", () -> page.getByTestId("nav-logout").click());
    assertThat(logout.headers().get("authorization")).isEqualTo("Bearer " + copied);
    assertThat(page.getByTestId("nav-login")).isVisible();

    // The demo polls the feed every second (RunningSystem); allow a few polls.
    java.time.Instant deadline = java.time.Instant.now().plusSeconds(10);
    int status = lessons(copied);
    while (status == 200 && java.time.Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      status = lessons(copied);
    }
    assertThat(status).isEqualTo(401);
  }

  private static int lessons(String token) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(system.app.baseUrl() + "/api/lessons"))
                .header("Authorization", "Bearer " + token)
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void aForgedTokenIsRefusedByTheApiAndEndsTheSession() {
    logIn(RunningSystem.PASSWORD);
    assertThat(page.getByTestId("lessons-list")).isVisible();
    String token = (String) storage("id_token");
    String forged =
        token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    page.evaluate("t => localStorage.setItem('id_token', t)", forged);
    page.reload();
    assertThat(page).hasURL(Pattern.compile("/login"));
    assertThat(page.getByTestId("session-message")).isVisible();
    assertThat(storage("id_token")).isNull();
  }

  private Request requestTo(String url) {
    return requests.stream()
        .filter(request -> request.url().equals(url) && !request.method().equals("OPTIONS"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no request to " + url + " in " + requests));
  }
}
