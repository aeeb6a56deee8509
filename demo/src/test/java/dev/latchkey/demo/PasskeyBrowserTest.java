package dev.latchkey.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 22's passkeys in Chromium, with Chromium's own virtual authenticator (DevTools protocol) in
 * place of a phone's or laptop's: a user adds a passkey on the demo's Account page, signs out,
 * signs in with it alone (no password), and with it as the second step after the password (as their
 * only factor, and next to TOTP); the tokens say how ({@code amr}). Refused: when the authenticator
 * cannot verify its user, a passkey removed on the Account page (still in the authenticator), an
 * assertion sent a second time, and an assertion made on a page of another origin (signed by the
 * same authenticator for the same relying party).
 */
class PasskeyBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = RunningSystem.PASSWORD;

  /** WebAuthn's authenticator data flags: UP (the user was present), UV (and verified). */
  private static final int USER_PRESENT = 0x01;

  private static final int USER_VERIFIED = 0x04;

  @RegisterExtension
  static final BrowserJourney journey = BrowserJourney.bodyMode().viewport(1100, 900);

  @Test
  void addOnTheAccountPageThenSignInWithoutAPasswordAndAsTheSecondStep(Page page) throws Exception {
    VirtualAuthenticator authenticator = VirtualAuthenticator.attachTo(page);
    String email = newUser();
    journey.logIn(page, email, PASSWORD);
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
    assertThat(amr(token(page))).containsExactly("pwd");
    String user = subject(token(page));

    addPasskey(page, "Virtual laptop");
    assertThat(authenticator.credentialCount()).isEqualTo(1);
    assertThat(authenticator.firstIsDiscoverable()).isTrue(); // resident key: no name typed
    Screenshots.save(page, "account-passkeys");

    // no password: the passkey names the user
    signOut(page);
    page.navigate(journey.appUrl() + "/login");
    page.getByTestId("login-passkey").click();
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
    assertThat(amr(token(page))).containsExactly("hwk", "mfa");
    assertThat(subject(token(page))).isEqualTo(user);

    // the password now asks for the passkey, its only factor: no code field
    signOut(page);
    journey.logIn(page, email, PASSWORD);
    assertThat(page.getByTestId("login-step-passkey")).isVisible();
    assertThat(page.getByTestId("login-code")).hasCount(0);
    assertThat(token(page)).isNull();
    Screenshots.save(page, "login-passkey-step");
    page.getByTestId("login-step-passkey").click();
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
    assertThat(amr(token(page))).containsExactly("pwd", "hwk", "mfa");
  }

  @Test
  void withTotpToo_theSecondStepOffersBothAndThePasskeyPasses(Page page) throws Exception {
    VirtualAuthenticator.attachTo(page);
    String email = newUser();
    journey.logIn(page, email, PASSWORD);
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
    page.getByTestId("nav-account").click();
    page.getByTestId("totp-start").click();
    String secret = page.getByTestId("totp-secret").textContent().strip();
    page.getByTestId("totp-code").fill(SecondFactorBrowserTest.code(secret, 0));
    page.getByTestId("totp-confirm").click();
    page.getByTestId("recovery-codes-done").click();
    assertThat(page.getByTestId("totp-status")).containsText("On");
    addPasskey(page, "Virtual phone");

    signOut(page);
    journey.logIn(page, email, PASSWORD);
    assertThat(page.getByTestId("login-code")).isVisible();
    assertThat(page.getByTestId("login-step-passkey")).isVisible();
    page.getByTestId("login-step-passkey").click();
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
    assertThat(amr(token(page))).containsExactly("pwd", "hwk", "mfa");
  }

  @Test
  void refusedWhenTheAuthenticatorCannotVerifyItsUser(Page page) throws Exception {
    VirtualAuthenticator authenticator = VirtualAuthenticator.attachTo(page);
    String email = newUser();
    journey.logIn(page, email, PASSWORD);
    addPasskey(page, "Virtual laptop");
    signOut(page);

    authenticator.setUserVerified(false);
    page.navigate(journey.appUrl() + "/login");
    page.getByTestId("login-passkey").click();
    assertThat(page.getByTestId("login-error")).containsText("could not be verified");
    assertThat(page).hasURL(Pattern.compile("/login"));
    assertThat(token(page)).isNull();

    // the auth server's own check: a browser asked not to verify (the options altered on the way)
    // signs without it, and the server, which requires verification without a password, refuses
    String unverified = assertionOn(page, "discouraged");
    assertThat(flags(unverified) & USER_VERIFIED).isZero();
    assertThat(flags(unverified) & USER_PRESENT).isNotZero();
    HttpResponse<String> refused = postToAuth("/api/passkeys/login", unverified);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(refused.body()).path("error").asText()).isEqualTo("invalid_passkey");

    // the same passkey, verified again, signs in: it was the verification that failed
    authenticator.setUserVerified(true);
    page.getByTestId("login-passkey").click();
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
  }

  @Test
  void refusedForAPasskeyRemovedOnTheAccountPage(Page page) throws Exception {
    VirtualAuthenticator authenticator = VirtualAuthenticator.attachTo(page);
    String email = newUser();
    journey.logIn(page, email, PASSWORD);
    addPasskey(page, "Lost phone");
    page.getByTestId("passkey-remove").click();
    assertThat(page.getByTestId("passkeys-empty")).isVisible();
    signOut(page);

    assertThat(authenticator.credentialCount()).isEqualTo(1); // still offered by the device
    page.navigate(journey.appUrl() + "/login");
    Request refused =
        page.waitForRequest(
            journey.authUrl() + "/api/passkeys/login",
            () -> page.getByTestId("login-passkey").click());
    assertThat(refused.response().status()).isEqualTo(401);
    assertThat(page.getByTestId("login-error")).containsText("passkey was not accepted");
    assertThat(token(page)).isNull();

    // and the password no longer asks for it
    journey.logIn(page, email, PASSWORD);
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
    assertThat(amr(token(page))).containsExactly("pwd");
  }

  @Test
  void anAssertionSentASecondTimeIsRefused(Page page) throws Exception {
    VirtualAuthenticator.attachTo(page);
    String email = newUser();
    journey.logIn(page, email, PASSWORD);
    addPasskey(page, "Virtual laptop");
    signOut(page);

    page.navigate(journey.appUrl() + "/login");
    Request signIn =
        page.waitForRequest(
            journey.authUrl() + "/api/passkeys/login",
            () -> page.getByTestId("login-passkey").click());
    assertThat(page).hasURL(Pattern.compile("/lessons$"));
    assertThat(signIn.response().status()).isEqualTo(200);

    HttpResponse<String> replayed = postToAuth("/api/passkeys/login", signIn.postData());
    assertThat(replayed.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(replayed.body()).path("error").asText()).isNotBlank();
    assertThat(replayed.body()).doesNotContain("idToken");
  }

  @Test
  void anAssertionMadeOnAPageOfAnotherOriginIsRefused(Page page) throws Exception {
    VirtualAuthenticator.attachTo(page);
    String email = newUser();
    journey.logIn(page, email, PASSWORD);
    addPasskey(page, "Virtual laptop");
    signOut(page);

    // the same script on the app's own origin signs in: the mechanics are right
    page.navigate(journey.appUrl() + "/login");
    HttpResponse<String> fromTheApp = postToAuth("/api/passkeys/login", assertionOn(page));
    assertThat(fromTheApp.statusCode()).isEqualTo(200);
    assertThat(fromTheApp.body()).contains("idToken");

    // another origin of the same host (so the relying party is the same, and the authenticator
    // signs): an origin the auth server does not allow
    HttpServer elsewhere =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    elsewhere.createContext(
        "/",
        exchange -> {
          byte[] html = "<!doctype html><title>elsewhere</title>".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, html.length);
          exchange.getResponseBody().write(html);
          exchange.close();
        });
    elsewhere.start();
    try {
      page.navigate("http://localhost:" + elsewhere.getAddress().getPort() + "/");
      String assertion = assertionOn(page);
      JsonNode clientData =
          JSON.readTree(
              Base64.getUrlDecoder()
                  .decode(
                      JSON.readTree(assertion).path("response").path("clientDataJSON").asText()));
      assertThat(clientData.path("origin").asText())
          .isEqualTo("http://localhost:" + elsewhere.getAddress().getPort());
      HttpResponse<String> refused = postToAuth("/api/passkeys/login", assertion);
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.body()).doesNotContain("idToken");
    } finally {
      elsewhere.stop(0);
    }
  }

  /**
   * Passwordless options fetched by this test (not by the page: another origin cannot), then the
   * page asks the authenticator for an assertion and gives its {@code toJSON()} back.
   */
  private static String assertionOn(Page page) throws Exception {
    return assertionOn(page, null);
  }

  /** As {@link #assertionOn(Page)}, the options' {@code userVerification} replaced if given. */
  private static String assertionOn(Page page, String userVerification) throws Exception {
    ObjectNode options =
        (ObjectNode) JSON.readTree(postToAuth("/api/passkeys/login/options", "{}").body());
    if (userVerification != null) {
      options.put("userVerification", userVerification);
    }
    return (String)
        page.evaluate(
            "async options => { const c = await navigator.credentials.get({ publicKey:"
                + " PublicKeyCredential.parseRequestOptionsFromJSON(JSON.parse(options)) });"
                + " return JSON.stringify(c.toJSON()); }",
            JSON.writeValueAsString(options));
  }

  /** The flags byte of an assertion's authenticator data (after the 32-byte RP ID hash). */
  private static int flags(String assertion) throws Exception {
    String data = JSON.readTree(assertion).path("response").path("authenticatorData").asText();
    return Base64.getUrlDecoder().decode(data)[32] & 0xff;
  }

  /** A fresh user (each test its own, so one test's passkeys do not meet another's). */
  private static String newUser() {
    String email = "passkey-" + UUID.randomUUID() + "@example.com";
    journey.auth().store().users().add(email, PASSWORD.toCharArray());
    return email;
  }

  private static void addPasskey(Page page, String name) {
    page.getByTestId("nav-account").click();
    assertThat(page.getByTestId("passkeys-empty")).isVisible();
    page.getByTestId("passkey-new-name").fill(name);
    page.getByTestId("passkey-add").click();
    assertThat(page.getByTestId("passkey-name")).hasText(name);
  }

  private static void signOut(Page page) {
    page.getByTestId("nav-logout").click();
    assertThat(page.getByTestId("nav-login")).isVisible();
  }

  private static String token(Page page) {
    return (String) page.evaluate("() => localStorage.getItem('id_token')");
  }

  private static HttpResponse<String> postToAuth(String path, String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(journey.authUrl() + path))
                .header("Content-Type", "application/json")
                .header("Origin", journey.appUrl())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode claims(String token) throws Exception {
    return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
  }

  private static String subject(String token) throws Exception {
    return claims(token).path("sub").asText();
  }

  private static List<String> amr(String token) throws Exception {
    List<String> amr = new ArrayList<>();
    claims(token).path("amr").forEach(v -> amr.add(v.asText()));
    return amr;
  }
}
