package dev.latchkey.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 23: the demo as {@code latchkey demo --code-flow} runs it. The Angular library's {@code
 * codeFlow} signs in through the auth server's {@code /authorize} and hosted login page with PKCE,
 * redeems the code at {@code /token}, and the demo API accepts the access token; the sign-out ends
 * the session (the API refuses its token) and the single-sign-on session (the password is asked
 * again).
 */
class CodeFlowBrowserTest {

  private static final String CLIENT_ID = "latchkey-demo";

  @RegisterExtension
  static final BrowserJourney journey = BrowserJourney.bodyMode().codeFlow(CLIENT_ID);

  private static final HttpClient http = HttpClient.newHttpClient();

  @Test
  void signsInWithTheCodeFlowAndSignsOutEverywhere(Page page) throws Exception {
    signIn(page);
    String authorize = authorizeUrl();
    assertThat(authorize)
        .contains("client_id=" + CLIENT_ID)
        .contains("code_challenge_method=S256")
        .contains("redirect_uri=" + encoded(journey.appUrl() + "/auth/code"));
    String token = (String) page.evaluate("() => localStorage.getItem('id_token')");
    assertThat(token).startsWith("eyJ");
    assertThat((String) page.evaluate("() => localStorage.getItem('oidc_id_token')"))
        .startsWith("eyJ");
    assertThat(lessonsStatus(token)).isEqualTo(200);

    page.reload();
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
    assertThat(page.getByTestId("lesson-item").first()).isVisible();

    page.getByTestId("nav-logout").click();
    long since = System.nanoTime();
    // through the auth server's /logout, back to the app's root, which needs a session
    assertThat(page).hasURL(Pattern.compile("^" + journey.appUrl() + "/login"));
    assertThat(page.getByTestId("login-code-flow")).isVisible();
    assertThat((String) page.evaluate("() => localStorage.getItem('id_token')")).isNull();
    RunningSystem.REVOCATION.awaitStatus(since, 401, () -> lessonsStatus(token), status -> status);

    // the single-sign-on session went with the sign-out: the auth server asks for the password
    page.getByTestId("login-code-flow").click();
    assertThat(page).hasURL(Pattern.compile("^" + journey.authUrl() + "/login\\?"));
    assertThat(page.locator("input[name=password]")).isVisible();
  }

  /**
   * A link to the auth server's {@code /logout} (any site can send the browser there) asks before
   * ending the single-sign-on session: until the user presses the button, the next sign-in needs no
   * password; after it, it does.
   */
  @Test
  void aLinkToLogoutAsksAndTheSingleSignOnSessionEndsOnlyOnTheAnswer(Page page) {
    signIn(page);
    page.navigate(journey.authUrl() + "/logout");
    assertThat(page.locator("h1")).hasText("Sign out?");

    page.navigate(journey.appUrl() + "/login");
    page.getByTestId("login-code-flow").click();
    assertThat(page).hasURL(Pattern.compile("^" + journey.appUrl() + "/lessons$"));

    page.navigate(journey.authUrl() + "/logout");
    page.locator("#sign-out").click();
    assertThat(page.locator("h1")).hasText("Signed out");
    page.navigate(journey.appUrl() + "/login");
    page.getByTestId("login-code-flow").click();
    assertThat(page).hasURL(Pattern.compile("^" + journey.authUrl() + "/login\\?"));
    assertThat(page.locator("input[name=password]")).isVisible();
  }

  /**
   * The app's sign-out from a browser whose single-sign-on cookie is gone (expired, or cleared):
   * the auth server cannot tell that this browser's user is the one the ID token names, so it asks;
   * Chromium follows the answer's redirect back to the app (allowed by the page's form-action).
   */
  @Test
  void aSignOutTheBrowsersOwnSessionNoLongerStandsForIsAskedThenReturnsToTheApp(
      Page page, BrowserContext context) {
    signIn(page);
    context.clearCookies(
        new BrowserContext.ClearCookiesOptions().setName(Pattern.compile("latchkey-sso$")));

    page.getByTestId("nav-logout").click();
    assertThat(page).hasURL(Pattern.compile("^" + journey.authUrl() + "/logout\\?"));
    assertThat(page.locator("h1")).hasText("Sign out?");
    page.locator("#sign-out").click();
    assertThat(page).hasURL(Pattern.compile("^" + journey.appUrl() + "/login"));
    assertThat(page.getByTestId("login-code-flow")).isVisible();
  }

  /** Signs in as the demo user through the auth server's hosted page, back on the lessons. */
  private static void signIn(Page page) {
    page.navigate(journey.appUrl() + "/login");
    assertThat(page.getByTestId("login-password")).hasCount(0); // no password typed in the app
    page.getByTestId("login-code-flow").click();
    assertThat(page).hasURL(Pattern.compile("^" + journey.authUrl() + "/login\\?"));
    page.locator("input[name=email]").fill(RunningSystem.EMAIL);
    page.locator("input[name=password]").fill(RunningSystem.PASSWORD);
    page.locator("form button[type=submit], form input[type=submit]").first().click();
    assertThat(page).hasURL(Pattern.compile("^" + journey.appUrl() + "/lessons$"));
    assertThat(page.getByTestId("lesson-item").first()).isVisible();
  }

  /** The first request the page sent to the auth server's /authorize. */
  private static String authorizeUrl() {
    return journey.requests().stream()
        .map(Request::url)
        .filter(url -> url.startsWith(journey.authUrl() + "/authorize?"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no request to /authorize"));
  }

  private static String encoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static int lessonsStatus(String token) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(journey.appUrl() + "/api/lessons"))
            .header("Authorization", "Bearer " + token)
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
