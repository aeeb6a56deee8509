package dev.latchkey.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The account flows of issue 14 in a real browser: the links come from the mails the auth server
 * writes into its mail folder, and open the Angular app's pages.
 */
class AccountJourneyBrowserTest {

  private static final Pattern LINK =
      Pattern.compile(
          "http://localhost:\\d+/(verify-email|reset-password)#token=[A-Za-z0-9_-]{43}");
  private static final String NEW_PASSWORD = "an entirely new passphrase";

  @RegisterExtension
  static final BrowserJourney journey = BrowserJourney.bodyMode().viewport(1100, 720);

  private static final Set<Path> readMails = new HashSet<>();
  private static final HttpClient http = HttpClient.newHttpClient();

  private static void logIn(Page on, String email, String password) {
    journey.logIn(on, email, password);
  }

  @Test
  void signUpMailVerifyThenLogIn(Page page) throws Exception {
    String email = "newcomer@example.com";
    String password = "a passphrase of my own";
    page.navigate(journey.appUrl() + "/signup");
    page.getByTestId("signup-email").fill(email);
    page.getByTestId("signup-password").fill(password);
    page.getByTestId("signup-submit").click();
    assertThat(page.getByTestId("signup-success")).containsText("Check your mail");

    // issue 21 item 9: unverified, the right password answers as a wrong one would
    logIn(page, email, password);
    assertThat(page.getByTestId("login-error")).containsText("Wrong email or password");

    // issue 21 item 10: confirming asks for the password chosen at sign-up
    String link = awaitLink(email, "verify-email");
    page.navigate(link);
    page.getByTestId("verify-password").fill(password);
    page.getByTestId("verify-submit").click();
    assertThat(page.getByTestId("verify-done")).isVisible();
    assertThat(page.url()).doesNotContain("token");

    page.getByTestId("verify-login").click();
    page.getByTestId("login-email").fill(email);
    page.getByTestId("login-password").fill(password);
    page.getByTestId("login-submit").click();
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
  }

  @Test
  void theAuthServersHostedPageConfirmsAnEmailFromTheLinksFragment(Page page) throws Exception {
    String email = "hosted-newcomer@example.com";
    String password = "a passphrase of my own";
    HttpResponse<String> signup =
        http.send(
            HttpRequest.newBuilder(URI.create(journey.authUrl() + "/api/signup"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(signup.statusCode()).isEqualTo(201);
    String link = awaitLink(email, "verify-email");

    // the same token on the auth server's own page: its script (allowed by its CSP hash) moves
    // the fragment into the form and out of the address bar
    page.navigate(journey.authUrl() + "/login/verify-email" + link.substring(link.indexOf('#')));
    assertThat(page).hasURL(Pattern.compile("/login/verify-email$"));
    assertThat(page.locator("#token")).hasValue(Pattern.compile("[A-Za-z0-9_-]{43}"));
    page.locator("#password").fill(password);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Confirm my email"))
        .click();
    assertThat(page.getByRole(AriaRole.STATUS)).containsText("Your email is confirmed");

    logIn(page, email, password);
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
  }

  @Test
  void forgotPasswordMailNewPasswordAndTheOldSessionIsRefused(Page page) throws Exception {
    BearerClient.use(journey.context()); // the page's token is sent from Java below
    String email = "forgetful@example.com";
    journey.auth().store().users().add(email, "the password I forgot".toCharArray());
    logIn(page, email, "the password I forgot");
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
    String oldToken = (String) page.evaluate("() => localStorage.getItem('id_token')");
    assertThat(lessonsStatus(oldToken)).isEqualTo(200);

    try (BrowserContext other = journey.browser().newContext()) {
      Page second = other.newPage();
      second.navigate(journey.appUrl() + "/login");
      second.getByTestId("forgot-password-link").click();
      second.getByTestId("forgot-email").fill(email);
      second.getByTestId("forgot-submit").click();
      assertThat(second.getByTestId("forgot-sent")).isVisible();

      second.navigate(awaitLink(email, "reset-password"));
      assertThat(second.getByTestId("reset-password")).isVisible();
      assertThat(second.url()).doesNotContain("token");
      second.getByTestId("reset-password").fill(NEW_PASSWORD);
      second.getByTestId("reset-submit").click();
      assertThat(second.getByTestId("reset-done")).isVisible();
      long since = System.nanoTime();

      // the API refuses the old session within the revocation bound and one more poll
      RunningSystem.REVOCATION.awaitStatus(
          since, 401, () -> lessonsStatus(oldToken), status -> status);

      logIn(second, email, NEW_PASSWORD);
      assertThat(second).hasURL(Pattern.compile("/lessons$"));
    }
  }

  @Test
  void changePasswordFromTheAccountPage(Page page) {
    String email = "changer@example.com";
    journey.auth().store().users().add(email, "my first passphrase".toCharArray());
    logIn(page, email, "my first passphrase");
    assertThat(page).hasURL(Pattern.compile("/lessons$"));

    page.getByTestId("nav-account").click();
    assertThat(page).hasURL(Pattern.compile("/account$"));
    page.getByTestId("account-current").fill("not my passphrase");
    page.getByTestId("account-new").fill(NEW_PASSWORD);
    page.getByTestId("account-submit").click();
    assertThat(page.getByTestId("account-error")).containsText("current password is incorrect");

    page.getByTestId("account-current").fill("my first passphrase");
    page.getByTestId("account-new").fill(NEW_PASSWORD);
    Response changed =
        page.waitForResponse("**/api/password", () -> page.getByTestId("account-submit").click());
    assertThat(page.getByTestId("account-done")).isVisible();
    // the session is bound to this browser's key (dpop on): the change carried its token as DPoP
    // with a proof, and the new session it started is bound to the same key
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.request().headers().get("authorization")).startsWith("DPoP ");
    assertThat(changed.request().headers().get("dpop")).isNotBlank();
    assertThat(page.evaluate("() => localStorage.getItem('token_type')")).isEqualTo("DPoP");

    // this session continues
    page.navigate(journey.appUrl() + "/lessons");
    assertThat(page).hasURL(Pattern.compile("/lessons$"));

    page.getByTestId("nav-logout").click();
    logIn(page, email, "my first passphrase");
    assertThat(page.getByTestId("login-error")).containsText("Wrong email or password");
    logIn(page, email, NEW_PASSWORD);
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
  }

  private static int lessonsStatus(String token) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(journey.appUrl() + "/api/lessons"))
            .header("Authorization", "Bearer " + token)
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The link to {@code page} in the first unread mail to {@code to}, waiting up to 15 s. */
  private static synchronized String awaitLink(String to, String page) throws Exception {
    Path dir = RunningSystem.mailDir(journey.dataDir());
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      List<Path> mails = List.of();
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          mails = s.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
      }
      for (Path mail : mails) {
        if (readMails.contains(mail)) continue;
        MimeMessage message;
        try (InputStream in = Files.newInputStream(mail)) {
          message = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        Address[] recipients = message.getAllRecipients();
        if (recipients == null
            || Arrays.stream(recipients).noneMatch(a -> a.toString().contains(to))) continue;
        Matcher m = LINK.matcher(plainText(message));
        if (m.find() && m.group(1).equals(page)) {
          readMails.add(mail);
          return m.group();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + page + " mail to " + to + " in " + dir);
  }

  private static String plainText(MimeMessage message) throws Exception {
    Object content = message.getContent();
    if (content instanceof MimeMultipart parts) {
      BodyPart plain = parts.getBodyPart(0);
      return String.valueOf(plain.getContent());
    }
    return String.valueOf(content);
  }
}
