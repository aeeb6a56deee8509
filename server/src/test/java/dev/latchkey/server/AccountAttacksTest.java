package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.get;
import static dev.latchkey.server.TestHttp.json;
import static dev.latchkey.server.TestHttp.login;
import static dev.latchkey.server.TestHttp.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.mail.MailSettings;
import dev.latchkey.server.mail.MailTls;
import dev.latchkey.testing.MutableClock;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What someone who does not own an account can do with the account flows (issue 21: a password
 * change that keeps the session, enumeration by sign-up then login, pre-registration takeover, the
 * timing of reset and resend, unlimited sign-ups), and the bounds the links claim, over real HTTP
 * with real SMTP (GreenMail on a loopback port).
 */
class AccountAttacksTest {
  private static final String EMAIL = "ada@example.com";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String NEW_PASSWORD = "a brand new passphrase here";
  private static final String ATTACKER_PASSWORD = "the attacker's own passphrase";
  private static final Pattern TOKEN = Pattern.compile("#token=([A-Za-z0-9_-]{43})");

  @TempDir Path tempDir;

  private GreenMail smtp;
  private final List<AuthServerConfig> dropLater = new ArrayList<>();

  @BeforeEach
  void startSmtp() {
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
  }

  @AfterEach
  void stop() {
    smtp.stop();
    dropLater.forEach(TestDatabase::dropSchema);
  }

  private AuthServer start(TestDatabase db, UnaryOperator<AuthServerConfig> custom) {
    AuthServerConfig config = TestDatabase.quiet(db.freshConfig(tempDir));
    MailSettings mail =
        MailSettings.defaults()
            .withSmtp("127.0.0.1", smtp.getSmtp().getPort(), MailTls.NONE)
            .withFrom("auth@example.com")
            .withRetries(2, Duration.ofMillis(50));
    config =
        config
            .withHttp(config.http().withSignupEnabled(true))
            .withAccounts(config.accounts().withMail(mail));
    config = custom.apply(config);
    dropLater.add(config);
    return AuthServer.start(config);
  }

  private MimeMessage mail(int n) {
    assertThat(smtp.waitForIncomingEmail(10_000, n)).as("mail #" + n + " arrived").isTrue();
    return smtp.getReceivedMessages()[n - 1];
  }

  private static String token(MimeMessage message) throws Exception {
    MimeMultipart parts = (MimeMultipart) message.getContent();
    Matcher m = TOKEN.matcher((String) parts.getBodyPart(0).getContent());
    assertThat(m.find()).as("a link with a token").isTrue();
    return m.group(1);
  }

  private static HttpResponse<String> post(AuthServer server, String path, Map<String, String> b)
      throws Exception {
    return postJson(server.baseUrl() + path, TestHttp.JSON.writeValueAsString(b));
  }

  private static HttpResponse<String> signUp(AuthServer server, String email, String password) {
    return postJson(server.baseUrl() + "/api/signup", TestHttp.credentials(email, password));
  }

  private static String error(HttpResponse<String> r) {
    return json(r).get("error").asText();
  }

  private static String sid(AuthServer server, String token) throws Exception {
    return TestHttp.verify(server, token, server.store().config().tokens().audience())
        .getStringClaim("sid");
  }

  /** A hosted account page as a browser holds it: its CSRF cookie and hidden field. */
  private record Page(String cookie, String csrf) {}

  private static Page open(AuthServer server, String path) {
    HttpResponse<String> page = get(server.baseUrl() + path);
    assertThat(page.statusCode()).isEqualTo(200);
    return new Page(
        SetCookie.named(page, HostedLoginTest.CSRF_COOKIE).orElseThrow().value(),
        HostedLoginTest.hidden(page.body(), "csrf"));
  }

  private static HttpResponse<String> postForm(
      AuthServer server, String path, String csrfCookie, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return TestHttp.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Cookie", HostedLoginTest.CSRF_COOKIE + "=" + csrfCookie)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  // --- item 5: a password change starts a new session and supersedes the reset links ---

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aPasswordChangeStartsANewSessionAndSupersedesPendingResetLinks(TestDatabase db)
      throws Exception {
    try (AuthServer server = start(db, c -> c)) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      String current = TestHttp.idToken(login(server, EMAIL, PASSWORD));
      String oldSid = sid(server, current);
      assertThat(post(server, "/api/password-reset", Map.of("email", EMAIL)).statusCode())
          .isEqualTo(202);
      String pendingReset = token(mail(1));

      HttpResponse<String> changed =
          postJson(
              server.baseUrl() + "/api/password",
              TestHttp.JSON.writeValueAsString(
                  Map.of("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD)),
              "Authorization",
              "Bearer " + current);
      assertThat(changed.statusCode()).isEqualTo(200);
      assertThat(json(changed).get("status").asText()).isEqualTo("password_changed");
      String fresh = TestHttp.idToken(changed);
      assertThat(sid(server, fresh)).isNotEqualTo(oldSid);
      assertThat(json(changed).get("expiresIn").asLong()).isPositive();

      String session = server.baseUrl() + "/api/session";
      assertThat(get(session, "Authorization", "Bearer " + current).statusCode()).isEqualTo(401);
      assertThat(get(session, "Authorization", "Bearer " + fresh).statusCode()).isEqualTo(200);
      assertThat(get(server.baseUrl() + "/api/revocations").body()).contains(oldSid);

      HttpResponse<String> lateReset =
          post(
              server,
              "/api/password-reset/confirm",
              Map.of("token", pendingReset, "password", "the thief's new passphrase"));
      assertThat(lateReset.statusCode()).isEqualTo(400);
      assertThat(error(lateReset)).isEqualTo("token_superseded");
      assertThat(login(server, EMAIL, NEW_PASSWORD).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void inCookieModeAPasswordChangeSetsTheNewSessionsCookies() throws Exception {
    try (AuthServer server =
        start(TestDatabase.H2, c -> c.withDelivery(c.delivery().withMode(DeliveryMode.COOKIE)))) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      String cookies = cookieHeader(login);
      String xsrf = SetCookie.named(login, "XSRF-TOKEN").orElseThrow().value();

      HttpResponse<String> changed =
          postJson(
              server.baseUrl() + "/api/password",
              TestHttp.JSON.writeValueAsString(
                  Map.of("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD)),
              "Cookie",
              cookies,
              "X-XSRF-TOKEN",
              xsrf);
      assertThat(changed.statusCode()).isEqualTo(200);
      assertThat(json(changed).has("idToken")).isFalse();
      String fresh = cookieHeader(changed);
      assertThat(fresh).contains("XSRF-TOKEN=");
      assertThat(SetCookie.named(changed, "XSRF-TOKEN").orElseThrow().value()).isNotEqualTo(xsrf);

      String session = server.baseUrl() + "/api/session";
      assertThat(get(session, "Cookie", cookies).statusCode()).isEqualTo(401);
      assertThat(get(session, "Cookie", fresh).statusCode()).isEqualTo(200);
    }
  }

  private static String cookieHeader(HttpResponse<?> response) {
    return SetCookie.all(response).stream()
        .filter(cookie -> !cookie.value().isEmpty())
        .map(cookie -> cookie.name() + "=" + cookie.value())
        .collect(Collectors.joining("; "));
  }

  // --- item 9: sign-up then login tells nothing about which addresses have accounts ---

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void signUpThenLoginAnswersTheSameForANewAndAnExistingAddress(TestDatabase db) throws Exception {
    try (AuthServer server = start(db, c -> c)) {
      String existing = "has.an.account@example.com";
      server.store().users().add(existing, PASSWORD.toCharArray());
      String fresh = "no.account.yet@example.com";

      assertThat(signUp(server, fresh, ATTACKER_PASSWORD).statusCode()).isEqualTo(201);
      assertThat(signUp(server, existing, ATTACKER_PASSWORD).statusCode()).isEqualTo(201);
      HttpResponse<String> newOne = login(server, fresh, ATTACKER_PASSWORD);
      HttpResponse<String> oldOne = login(server, existing, ATTACKER_PASSWORD);
      assertThat(newOne.statusCode()).isEqualTo(401).isEqualTo(oldOne.statusCode());
      assertThat(newOne.body()).isEqualTo(oldOne.body());
      assertThat(error(newOne)).isEqualTo("invalid_credentials");
      assertThat(json(newOne).get("message").asText()).contains("mail");

      // the hosted login form says the same sentence for both
      HostedLoginTest.Form form = HostedLoginTest.open(server, null);
      HttpResponse<String> hostedNew =
          HostedLoginTest.submit(server, form, fresh, ATTACKER_PASSWORD, form.returnTo());
      HttpResponse<String> hostedOld =
          HostedLoginTest.submit(server, form, existing, ATTACKER_PASSWORD, form.returnTo());
      assertThat(hostedNew.statusCode()).isEqualTo(401).isEqualTo(hostedOld.statusCode());
      assertThat(errorSentence(hostedNew)).isEqualTo(errorSentence(hostedOld)).contains("mail");
    }
  }

  private static String errorSentence(HttpResponse<String> page) {
    Matcher m = Pattern.compile("role=\"alert\">([^<]*)<").matcher(page.body());
    assertThat(m.find()).as("an error on the page").isTrue();
    return m.group(1);
  }

  // --- item 10: confirming an address does not make someone else's password usable ---

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void aPreRegisteredPasswordDoesNotOpenTheAccountTheVictimConfirms(TestDatabase db)
      throws Exception {
    try (AuthServer server = start(db, c -> c)) {
      // the attacker signs up with the victim's address and a password of their own
      assertThat(signUp(server, EMAIL, ATTACKER_PASSWORD).statusCode()).isEqualTo(201);
      String token = token(mail(1));

      // the victim follows the mailed link: the hosted page, then the JSON API, without the
      // account's password (which only the attacker knows)
      Page page = open(server, "/login/verify-email");
      HttpResponse<String> hosted =
          postForm(
              server,
              "/login/verify-email",
              page.cookie(),
              Map.of("csrf", page.csrf(), "token", token, "password", PASSWORD));
      assertThat(hosted.statusCode()).isEqualTo(403);
      HttpResponse<String> api =
          post(server, "/api/email-verification/confirm", Map.of("token", token));
      assertThat(api.statusCode()).isEqualTo(400);
      HttpResponse<String> guessed =
          post(
              server,
              "/api/email-verification/confirm",
              Map.of("token", token, "password", PASSWORD));
      assertThat(guessed.statusCode()).isEqualTo(403);
      assertThat(error(guessed)).isEqualTo("wrong_password");

      assertThat(login(server, EMAIL, ATTACKER_PASSWORD).statusCode()).isEqualTo(401);

      // the victim takes the address with a reset: their password, the attacker's gone
      post(server, "/api/password-reset", Map.of("email", EMAIL));
      String reset = token(mail(2));
      assertThat(
              post(
                      server,
                      "/api/password-reset/confirm",
                      Map.of("token", reset, "password", PASSWORD))
                  .statusCode())
          .isEqualTo(200);
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(200);
      assertThat(login(server, EMAIL, ATTACKER_PASSWORD).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void whoSetThePasswordConfirmsWithIt() throws Exception {
    try (AuthServer server = start(TestDatabase.H2, c -> c)) {
      signUp(server, EMAIL, PASSWORD);
      String token = token(mail(1));
      HttpResponse<String> confirmed =
          post(
              server,
              "/api/email-verification/confirm",
              Map.of("token", token, "password", PASSWORD));
      assertThat(confirmed.statusCode()).isEqualTo(200);
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(200);
    }
  }

  // --- item 11: reset and resend cost the same for an address with and without an account ---

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void resetAndResendTakeAsLongForAMissingAccountAsForAnExistingOne(TestDatabase db)
      throws Exception {
    try (AuthServer server =
        start(
            db, c -> c.withAccounts(c.accounts().withMailLimit(100_000, Duration.ofMinutes(15))))) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      String unverified = "waiting@example.com";
      server.store().users().signUp(unverified, PASSWORD.toCharArray(), false);
      String reset = server.baseUrl() + "/api/password-reset";
      String resend = server.baseUrl() + "/api/email-verification";
      int rounds = 60;
      long[][] times = new long[4][rounds];
      String[][] requests = {
        {reset, EMAIL},
        {reset, "nobody@example.com"},
        {resend, unverified},
        {resend, "x@example.com"}
      };
      List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3));
      java.util.Random random = new java.util.Random(21);
      for (int round = -15; round < rounds; round++) { // the first 15 rounds warm up
        java.util.Collections.shuffle(order, random); // no kind always follows another
        for (int kind : order) {
          // what each request left for the mail thread is done before the next one is timed
          awaitMailThreadIdle(server);
          long took = timed(requests[kind][0], requests[kind][1]);
          if (round >= 0) {
            times[kind][round] = took;
          }
        }
      }
      System.out.printf(
          "timing medians (us): reset %d / %d, resend %d / %d%n",
          median(times[0]) / 1000,
          median(times[1]) / 1000,
          median(times[2]) / 1000,
          median(times[3]) / 1000);
      double resetRatio = (double) median(times[0]) / median(times[1]);
      double resendRatio = (double) median(times[2]) / median(times[3]);
      assertThat(resetRatio).as("reset: existing / missing").isBetween(0.8, 1.25);
      assertThat(resendRatio).as("resend: existing / missing").isBetween(0.8, 1.25);
    }
  }

  private static void awaitMailThreadIdle(AuthServer server) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while ((server.mailer().waitingWork() > 0 || server.mailer().pending() > 0)
        && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    Thread.sleep(2); // the work that was just taken off the queue
  }

  private static long timed(String url, String email) throws Exception {
    String body = TestHttp.JSON.writeValueAsString(Map.of("email", email));
    long start = System.nanoTime();
    HttpResponse<String> r = postJson(url, body);
    long took = System.nanoTime() - start;
    assertThat(r.statusCode()).isEqualTo(202);
    return took;
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  // --- item 13: sign-ups from one client address are limited ---

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void oneClientGetsFiveSignUpsPerWindowThenA429(TestDatabase db) throws Exception {
    MutableClock clock = MutableClock.startingNow();
    try (AuthServer server = start(db, c -> c.withClock(clock))) {
      for (int i = 0; i < 5; i++) {
        assertThat(signUp(server, "someone" + i + "@example.com", PASSWORD).statusCode())
            .isEqualTo(201);
      }
      HttpResponse<String> sixth = signUp(server, "someone5@example.com", PASSWORD);
      assertThat(sixth.statusCode()).isEqualTo(429);
      assertThat(error(sixth)).isEqualTo("too_many_signups");
      long retryAfter = Long.parseLong(sixth.headers().firstValue("Retry-After").orElseThrow());
      assertThat(retryAfter).isBetween(1L, 15 * 60L);
      assertThat(json(sixth).get("retryAfter").asLong()).isEqualTo(retryAfter);
      mail(5);
      Thread.sleep(300);
      assertThat(smtp.getReceivedMessages()).hasSize(5); // no mail for the refused sign-up
      assertThat(server.store().users().list())
          .noneMatch(u -> u.email().equals("someone5@example.com"));

      clock.advance(Duration.ofMinutes(15));
      assertThat(signUp(server, "someone5@example.com", PASSWORD).statusCode()).isEqualTo(201);
    }
  }

  // --- the bounds the links claim, and the hosted reset page's CSRF check ---

  @Test
  void theHostedResetPageRefusesAWrongCsrfTokenAndChangesNothing() throws Exception {
    try (AuthServer server = start(TestDatabase.H2, c -> c)) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      post(server, "/api/password-reset", Map.of("email", EMAIL));
      String token = token(mail(1));
      Page page = open(server, "/login/reset-password");

      HttpResponse<String> forged =
          postForm(
              server,
              "/login/reset-password",
              page.cookie(),
              Map.of("csrf", "not-the-pages-token", "token", token, "password", NEW_PASSWORD));
      assertThat(forged.statusCode()).isEqualTo(403);
      assertThat(forged.body()).contains("This form has expired");
      HttpResponse<String> otherCookie =
          postForm(
              server,
              "/login/reset-password",
              "another-browsers-cookie",
              Map.of("csrf", page.csrf(), "token", token, "password", NEW_PASSWORD));
      assertThat(otherCookie.statusCode()).isEqualTo(403);

      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(200);
      assertThat(login(server, EMAIL, NEW_PASSWORD).statusCode()).isEqualTo(401);
      // the link was not spent
      HttpResponse<String> done =
          postForm(
              server,
              "/login/reset-password",
              page.cookie(),
              Map.of("csrf", page.csrf(), "token", token, "password", NEW_PASSWORD));
      assertThat(done.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aVerificationLinkWorksFor24Hours() throws Exception {
    MutableClock clock = MutableClock.startingNow();
    try (AuthServer server = start(TestDatabase.H2, c -> c.withClock(clock))) {
      signUp(server, EMAIL, PASSWORD);
      String early = token(mail(1));
      signUp(server, "late@example.com", PASSWORD);
      String late = token(mail(2));

      clock.advance(Duration.ofHours(24).minusSeconds(1));
      assertThat(
              post(
                      server,
                      "/api/email-verification/confirm",
                      Map.of("token", early, "password", PASSWORD))
                  .statusCode())
          .isEqualTo(200);
      clock.advance(Duration.ofSeconds(2));
      HttpResponse<String> expired =
          post(
              server,
              "/api/email-verification/confirm",
              Map.of("token", late, "password", PASSWORD));
      assertThat(expired.statusCode()).isEqualTo(400);
      assertThat(error(expired)).isEqualTo("token_expired");
      assertThat(login(server, "late@example.com", PASSWORD).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void aResetLinkWorksFor30Minutes() throws Exception {
    MutableClock clock = MutableClock.startingNow();
    try (AuthServer server = start(TestDatabase.H2, c -> c.withClock(clock))) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      server.store().users().add("late@example.com", PASSWORD.toCharArray());
      post(server, "/api/password-reset", Map.of("email", EMAIL));
      String early = token(mail(1));
      post(server, "/api/password-reset", Map.of("email", "late@example.com"));
      String late = token(mail(2));

      clock.advance(Duration.ofMinutes(30).minusSeconds(1));
      assertThat(
              post(
                      server,
                      "/api/password-reset/confirm",
                      Map.of("token", early, "password", NEW_PASSWORD))
                  .statusCode())
          .isEqualTo(200);
      clock.advance(Duration.ofSeconds(2));
      HttpResponse<String> expired =
          post(
              server,
              "/api/password-reset/confirm",
              Map.of("token", late, "password", NEW_PASSWORD));
      assertThat(expired.statusCode()).isEqualTo(400);
      assertThat(error(expired)).isEqualTo("token_expired");
      assertThat(login(server, "late@example.com", PASSWORD).statusCode()).isEqualTo(200);
    }
  }
}
