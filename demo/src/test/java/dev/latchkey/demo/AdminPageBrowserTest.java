package dev.latchkey.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin page: shown to a session with role admin, hidden from the student, whose direct
 * navigation the client's guard sends home and whose API call the demo server refuses.
 */
class AdminPageBrowserTest {

  private static final String PROGRESS_PATH = "/api/admin/progress";

  @RegisterExtension
  static final BrowserJourney journey = BrowserJourney.bodyMode().viewport(1100, 720);

  @Test
  void theAdminFollowsTheLinkToEveryonesProgress(Page page) throws Exception {
    String student = journey.auth().store().issueToken(RunningSystem.EMAIL).token();
    assertThat(send("PUT", "/api/lessons/4/completion", student).statusCode()).isEqualTo(200);
    String studentId = journey.auth().store().users().idOf(RunningSystem.EMAIL);

    journey.logIn(page, RunningSystem.ADMIN_EMAIL, RunningSystem.PASSWORD);
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
    page.getByTestId("nav-admin").click();

    assertThat(page).hasURL(Pattern.compile("/admin$"));
    assertThat(page.getByTestId("admin-progress")).isVisible();
    assertThat(page.getByTestId("admin-progress-row").filter(textOf(studentId))).containsText("4");
    Screenshots.save(page, "admin-progress");
  }

  @Test
  void theStudentSeesNoLinkAndTheGuardRefusesTheAdminAddress(Page page) throws Exception {
    BearerClient.use(journey.context()); // the page's token is sent from Java below
    journey.logIn(page, RunningSystem.EMAIL, RunningSystem.PASSWORD);
    assertThat(page.getByTestId("lessons-list")).isVisible();
    assertThat(page.getByTestId("nav-account")).isVisible();
    assertThat(page.getByTestId("nav-admin")).hasCount(0);

    page.navigate(journey.appUrl() + "/admin");
    // typed into the address bar, the refused route sends the student home, not to a blank page
    assertThat(page.getByTestId("lessons-list")).isVisible();
    assertThat(page.getByTestId("nav-account")).isVisible();
    assertThat(page.getByTestId("admin-progress")).hasCount(0);
    assertThat(journey.requests()).noneMatch(request -> request.url().endsWith(PROGRESS_PATH));

    // the guard only hides: the API decides, and refuses the student's token
    String token = (String) page.evaluate("() => localStorage.getItem('id_token')");
    HttpResponse<String> refused = send("GET", PROGRESS_PATH, token);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("\"error\":\"insufficient_scope\"");
  }

  private static Locator.FilterOptions textOf(String text) {
    return new Locator.FilterOptions().setHasText(text);
  }

  private static HttpResponse<String> send(String method, String path, String token)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(journey.appUrl() + path))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
