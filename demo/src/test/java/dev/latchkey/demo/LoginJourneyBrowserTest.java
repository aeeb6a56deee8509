package dev.latchkey.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The seed's journey in a real browser against the real auth server and demo server. */
class LoginJourneyBrowserTest {

  @RegisterExtension
  static final BrowserJourney journey = BrowserJourney.bodyMode().viewport(1100, 720);

  private static void logIn(String password) {
    journey.logIn(password);
  }

  private static Object storage(String key) {
    return journey.page().evaluate("key => localStorage.getItem(key)", key);
  }

  @Test
  void wrongPasswordShowsTheErrorAndStoresNothing(Page page) {
    logIn("not the password");
    assertThat(page.getByTestId("login-error")).isVisible();
    assertThat(page.getByTestId("login-error")).containsText("Wrong email or password");
    assertThat(page).hasURL(Pattern.compile("/login"));
    assertThat(storage("id_token")).isNull();
  }

  @Test
  void loginShowsTheLessonsAndTheTokenGoesToTheApiOnly(Page page) {
    page.navigate(journey.appUrl() + "/login");
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

    Request lessons = journey.requestTo(journey.appUrl() + "/api/lessons");
    assertThat(lessons.headers().get("authorization")).isEqualTo("DPoP " + token);
    assertThat(lessons.headers().get("dpop")).isNotBlank(); // bound: see DpopBrowserTest
    Request login = journey.requestTo(journey.authUrl() + "/api/login");
    assertThat(login.headers()).doesNotContainKey("authorization");
  }

  @Test
  void aReloadKeepsTheSession(Page page) {
    logIn(RunningSystem.PASSWORD);
    assertThat(page.getByTestId("lessons-list")).isVisible();
    page.reload();
    assertThat(page).hasURL(Pattern.compile("/lessons"));
    assertThat(page.getByTestId("lesson-item").first()).isVisible();
  }

  @Test
  void logoutEmptiesStorageAndTheLessonsRouteSendsBackToLogin(Page page) {
    logIn(RunningSystem.PASSWORD);
    assertThat(page.getByTestId("lessons-list")).isVisible();
    page.getByTestId("nav-logout").click();
    assertThat(page.getByTestId("nav-login")).isVisible();
    assertThat(storage("id_token")).isNull();
    assertThat(storage("expires_at")).isNull();

    page.navigate(journey.appUrl() + "/lessons");
    assertThat(page).hasURL(Pattern.compile("/login"));
    assertThat(page.getByTestId("login-email")).isVisible();
  }

  @Test
  void afterLogoutACopiedTokenIsRefusedByTheApiWithinTheFeedBound(Page page) throws Exception {
    BearerClient.use(journey.context()); // an unbound token, usable from Java until revoked
    logIn(RunningSystem.PASSWORD);
    assertThat(page.getByTestId("lessons-list")).isVisible();
    String copied = (String) storage("id_token"); // what an XSS or a shared computer keeps
    assertThat(lessons(copied)).isEqualTo(200);

    Response logout =
        page.waitForResponse("**/api/logout", () -> page.getByTestId("nav-logout").click());
    long since = System.nanoTime();
    assertThat(logout.request().headers().get("authorization")).isEqualTo("Bearer " + copied);
    assertThat(page.getByTestId("nav-login")).isVisible();

    // within the revocation bound of RunningSystem (poll 1 s + max-age 1 s) and one more poll
    RunningSystem.REVOCATION.awaitStatus(since, 401, () -> lessons(copied), status -> status);
  }

  private static int lessons(String token) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(journey.appUrl() + "/api/lessons"))
                .header("Authorization", "Bearer " + token)
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void aForgedTokenIsRefusedByTheApiAndEndsTheSession(Page page) {
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
}
