package dev.latchkey.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.options.Cookie;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Passkeys with the session in an HttpOnly cookie: adding one is an unsafe request of the signed-in
 * user (session cookie and XSRF header, no bearer token), and signing in with one, alone or as the
 * second step, answers with the session cookie, never a token the page could read.
 */
class PasskeyCookieModeBrowserTest {

  @RegisterExtension
  static final BrowserJourney journey = BrowserJourney.cookieMode().viewport(1100, 900);

  @Test
  void addWithTheXsrfHeaderThenSignInAloneAndAsTheSecondStepIntoACookie(
      Page page, BrowserContext context) {
    VirtualAuthenticator authenticator = VirtualAuthenticator.attachTo(page);
    String email = "passkey-cookie-" + UUID.randomUUID() + "@example.com";
    journey.auth().store().users().add(email, RunningSystem.PASSWORD.toCharArray());
    journey.logIn(page, email, RunningSystem.PASSWORD);
    assertThat(page).hasURL(Pattern.compile("/lessons$"));

    page.getByTestId("nav-account").click();
    page.getByTestId("passkey-new-name").fill("Virtual laptop");
    Request registration =
        page.waitForRequest(
            journey.authUrl() + "/api/passkeys/registration",
            () -> page.getByTestId("passkey-add").click());
    assertThat(page.getByTestId("passkey-name")).hasText("Virtual laptop");
    assertThat(registration.headers().get("x-xsrf-token"))
        .isEqualTo(cookie(context, "XSRF-TOKEN").value);
    assertThat(registration.headers()).doesNotContainKey("authorization");
    assertThat(authenticator.credentialCount()).isEqualTo(1);

    page.getByTestId("nav-logout").click();
    assertThat(page.getByTestId("nav-login")).isVisible();
    page.navigate(journey.appUrl() + "/login");
    page.getByTestId("login-passkey").click();
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
    assertThat(page.evaluate("() => localStorage.getItem('id_token')")).isNull();
    assertThat(cookie(context, "__Host-latchkey").httpOnly).isTrue();

    page.getByTestId("nav-logout").click();
    assertThat(page.getByTestId("nav-login")).isVisible();
    journey.logIn(page, email, RunningSystem.PASSWORD);
    page.getByTestId("login-step-passkey").click();
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
    assertThat(page.getByTestId("lesson-item").first()).isVisible(); // the API takes the cookie
    assertThat(page.evaluate("() => localStorage.getItem('id_token')")).isNull();
  }

  private static Cookie cookie(BrowserContext context, String name) {
    return context.cookies(journey.authUrl()).stream()
        .filter(c -> c.name.equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no cookie " + name));
  }
}
