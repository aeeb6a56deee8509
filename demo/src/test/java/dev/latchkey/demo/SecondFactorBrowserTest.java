package dev.latchkey.demo;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Request;
import dev.latchkey.server.AuthServer;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.testing.FreePort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22 in Chromium: the admin enrols TOTP on the Account page (QR code drawn in the page,
 * recovery codes shown once), signs out, signs in with password + code and once with a recovery
 * code; the tokens say how ({@code amr}), and the demo's admin API, configured to require a second
 * factor, opens only to the token with one. Codes come from this test's own RFC 6238 code, not from
 * the server's.
 *
 * <p>Starts its own auth server and demo server (as {@link RunningSystem} does, with the admin API
 * requiring a second factor) and its own Chromium.
 */
class SecondFactorBrowserTest {
  private static final String ADMIN = "admin@example.com";
  private static final String PASSWORD = "correct horse battery staple";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  private static AuthServer auth;
  private static DemoServer app;
  private static Playwright playwright;
  private static Browser browser;

  @BeforeAll
  static void start() {
    Chromium.assumeAvailable();
    FreePort.Reservation appPortHeld = FreePort.reserve(); // until the demo server binds it
    int appPort = appPortHeld.port();
    String appUrl = "http://localhost:" + appPort;
    AuthServerConfig defaults = AuthServerConfig.defaults();
    auth =
        AuthServer.start(
            defaults
                .withHttp(new HttpSettings("localhost", 0, List.of(appUrl), true))
                .withStore(StoreSettings.embedded(dataDir))
                .withHashing(defaults.hashing().withParams(new Argon2Params(1024, 1, 1)))
                .withDelivery(
                    defaults
                        .delivery()
                        .withMode(DeliveryMode.BODY)
                        .withReturnToAllowList(List.of(appUrl + "/auth/callback"))
                        .withDefaultReturnTo(appUrl + "/")));
    auth.store().users().add(ADMIN, PASSWORD.toCharArray(), List.of("admin"));
    appPortHeld.close();
    app =
        DemoServer.start(
            DemoConfig.defaults()
                .withPort(appPort)
                .withAuthUrl(URI.create(auth.baseUrl()))
                .withDelivery("body")
                .withAdminRequiresSecondFactor(true));
    playwright = Chromium.playwright();
    browser = Chromium.launch(playwright);
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.close();
    if (playwright != null) playwright.close();
    if (app != null) app.close();
    if (auth != null) auth.close();
  }

  @Test
  void enrolThenSignInWithACodeAndOnceWithARecoveryCode() throws Exception {
    try (BrowserContext context =
        browser.newContext(new Browser.NewContextOptions().setViewportSize(1100, 900))) {
      BearerClient.use(context); // the page's tokens are sent to the admin API from Java
      Page page = context.newPage();

      // a password alone: amr ["pwd"], and the admin API wants more
      logIn(page);
      assertThat(page).hasURL(Pattern.compile("/lessons$"));
      String passwordOnly = token(page);
      assertThat(amr(passwordOnly)).containsExactly("pwd");
      HttpResponse<String> refused = adminProgress(passwordOnly);
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow())
          .contains("error=\"insufficient_user_authentication\"");
      assertThat(refused.body()).contains("\"error\":\"insufficient_user_authentication\"");
      page.getByTestId("nav-logout").click();

      // enrol on the Account page in a session bound to this browser's key (the demo's dpop on):
      // the page's own calls carry the token as DPoP with a proof
      BearerClient.stop(context);
      List<Request> toAuth = new CopyOnWriteArrayList<>();
      page.onRequest(
          r -> {
            if (r.url().startsWith(auth.baseUrl() + "/api/mfa")) toAuth.add(r);
          });
      logIn(page);
      assertThat(page).hasURL(Pattern.compile("/lessons$"));
      assertThat(page.evaluate("() => localStorage.getItem('token_type')")).isEqualTo("DPoP");
      page.getByTestId("nav-account").click();
      assertThat(page.getByTestId("totp-status")).containsText("Off");
      page.getByTestId("totp-start").click();
      assertThat(page.getByTestId("totp-qr")).isVisible();
      String secret = page.getByTestId("totp-secret").textContent().strip();
      assertThat(secret).matches("[A-Z2-7]{32}");
      // the QR code is drawn in the page: a version-3+ code (the otpauth URI is ~100 characters)
      Object modules = page.getByTestId("totp-qr").evaluate("c => Number(c.dataset.modules)");
      assertThat(((Number) modules).intValue()).isGreaterThanOrEqualTo(29);
      Object dark =
          page.getByTestId("totp-qr")
              .evaluate(
                  "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                      + " let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 128) n++;"
                      + " return n; }");
      assertThat(((Number) dark).intValue()).isGreaterThan(1000);
      Screenshots.save(page, "totp-enrolment");
      page.getByTestId("totp-code").fill(code(secret, 0));
      page.getByTestId("totp-confirm").click();
      assertThat(page.getByTestId("recovery-codes").locator("li")).hasCount(10);
      List<String> recoveryCodes =
          new ArrayList<>(page.getByTestId("recovery-codes").locator("li").allTextContents());
      recoveryCodes.replaceAll(String::strip);
      page.getByTestId("recovery-codes-done").click();
      assertThat(page.getByTestId("recovery-codes")).hasCount(0);
      assertThat(page.getByTestId("totp-status")).containsText("On");
      assertThat(page.getByTestId("recovery-codes-left")).hasText("10");
      assertThat(toAuth)
          .extracting(Request::url)
          .contains(auth.baseUrl() + "/api/mfa/totp", auth.baseUrl() + "/api/mfa/totp/confirm");
      assertThat(toAuth)
          .filteredOn(r -> !"OPTIONS".equals(r.method()))
          .allSatisfy(
              r -> {
                assertThat(r.headers().get("authorization")).startsWith("DPoP ");
                assertThat(r.headers().get("dpop")).isNotBlank();
              });

      // sign out, sign in with the password and a code (of the next step: this one is spent)
      page.getByTestId("nav-logout").click();
      BearerClient.use(context); // the page's tokens are sent to the admin API from Java
      logIn(page);
      assertThat(page.getByTestId("login-code")).isVisible();
      assertThat(page.getByTestId("login-code")).hasAttribute("autocomplete", "one-time-code");
      assertThat(page.getByTestId("login-password")).hasCount(0);
      Object stored = page.evaluate("() => localStorage.getItem('id_token')");
      assertThat(stored).isNull();
      Screenshots.save(page, "login-code-step");
      page.getByTestId("login-code").fill("000000".equals(code(secret, 1)) ? "111111" : "000000");
      page.getByTestId("login-code-submit").click();
      assertThat(page.getByTestId("login-error")).containsText("code is not valid");
      page.getByTestId("login-code").fill(code(secret, 1));
      page.getByTestId("login-code-submit").click();
      assertThat(page).hasURL(Pattern.compile("/lessons$"));
      String withCode = token(page);
      assertThat(amr(withCode)).containsExactly("pwd", "otp", "mfa");
      assertThat(adminProgress(withCode).statusCode()).isEqualTo(200);
      page.getByTestId("nav-admin").click();
      assertThat(page.getByTestId("admin-progress")).isVisible();

      // once with a recovery code
      page.getByTestId("nav-logout").click();
      logIn(page);
      page.getByTestId("login-code").fill(recoveryCodes.get(3));
      page.getByTestId("login-code-submit").click();
      assertThat(page).hasURL(Pattern.compile("/lessons$"));
      assertThat(amr(token(page))).containsExactly("pwd", "otp", "mfa");
      page.getByTestId("nav-account").click();
      assertThat(page.getByTestId("recovery-codes-left")).hasText("9");

      // a recovery code works once
      page.getByTestId("nav-logout").click();
      logIn(page);
      page.getByTestId("login-code").fill(recoveryCodes.get(3));
      page.getByTestId("login-code-submit").click();
      assertThat(page.getByTestId("login-error")).containsText("code is not valid");
      assertThat(page.evaluate("() => localStorage.getItem('id_token')")).isNull();
    }
  }

  private static void logIn(Page page) {
    page.navigate(app.baseUrl() + "/login");
    page.getByTestId("login-email").fill(ADMIN);
    page.getByTestId("login-password").fill(PASSWORD);
    page.getByTestId("login-submit").click();
  }

  private static String token(Page page) {
    return (String) page.evaluate("() => localStorage.getItem('id_token')");
  }

  /** The token's {@code amr} claim, read from its payload (the API checks the signature). */
  private static List<String> amr(String token) throws Exception {
    String payload =
        new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    JsonNode claims = JSON.readTree(payload);
    List<String> amr = new ArrayList<>();
    claims.path("amr").forEach(v -> amr.add(v.asText()));
    return amr;
  }

  private static HttpResponse<String> adminProgress(String token) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/admin/progress"))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * RFC 6238 as an authenticator app computes it (HMAC-SHA1, 6 digits, 30 s steps): the code of the
   * step {@code stepsFromNow} away, from the base32 secret the page showed.
   */
  static String code(String base32, int stepsFromNow) {
    long step = Math.floorDiv(System.currentTimeMillis() / 1000, 30) + stepsFromNow;
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(decodeBase32(base32), "HmacSHA1"));
      byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
      int o = h[h.length - 1] & 0xf;
      int value =
          ((h[o] & 0x7f) << 24)
              | ((h[o + 1] & 0xff) << 16)
              | ((h[o + 2] & 0xff) << 8)
              | (h[o + 3] & 0xff);
      return String.format(Locale.ROOT, "%06d", value % 1_000_000);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] decodeBase32(String text) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    byte[] out = new byte[text.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (char c : text.toCharArray()) {
      buffer = (buffer << 5) | alphabet.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        out[n++] = (byte) (buffer >> (bits - 8));
        bits -= 8;
      }
    }
    return out;
  }
}
