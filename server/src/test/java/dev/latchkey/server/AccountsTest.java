package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.get;
import static dev.latchkey.server.TestHttp.json;
import static dev.latchkey.server.TestHttp.login;
import static dev.latchkey.server.TestHttp.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.mail.MailSettings;
import dev.latchkey.server.mail.MailTls;
import dev.latchkey.server.users.HashingSettings;
import dev.latchkey.testing.MutableClock;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Verified email, password reset and password change over real HTTP, with the mails sent over real
 * SMTP to GreenMail on a loopback port and read from there.
 */
class AccountsTest {
  private static final String EMAIL = "ada@example.com";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String NEW_PASSWORD = "a brand new passphrase here";
  private static final String VERIFY = "/login/verify-email";
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

  /** Waits for the {@code n}-th mail in all and returns it. */
  private MimeMessage mail(int n) {
    assertThat(smtp.waitForIncomingEmail(10_000, n)).as("mail #" + n + " arrived").isTrue();
    return smtp.getReceivedMessages()[n - 1];
  }

  private static String text(MimeMessage message) throws Exception {
    MimeMultipart parts = (MimeMultipart) message.getContent();
    BodyPart plain = parts.getBodyPart(0);
    assertThat(plain.getContentType()).startsWith("text/plain");
    assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
    return (String) plain.getContent();
  }

  private static String token(MimeMessage message) throws Exception {
    Matcher m = TOKEN.matcher(text(message));
    assertThat(m.find()).as("a link with a token").isTrue();
    return m.group(1);
  }

  private static String body(Map<String, String> fields) throws Exception {
    return TestHttp.JSON.writeValueAsString(fields);
  }

  private static HttpResponse<String> post(AuthServer server, String path, Map<String, String> b)
      throws Exception {
    return postJson(server.baseUrl() + path, body(b));
  }

  private static String error(HttpResponse<String> r) {
    return json(r).get("error").asText();
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void signupMailsAVerificationLinkAndLoginWaitsForIt(TestDatabase db) throws Exception {
    try (AuthServer server = start(db, c -> c)) {
      String signup = server.baseUrl() + "/api/signup";
      HttpResponse<String> created = postJson(signup, TestHttp.credentials(EMAIL, PASSWORD));
      assertThat(created.statusCode()).isEqualTo(201);

      MimeMessage verification = mail(1);
      assertThat(verification.getAllRecipients()[0].toString()).isEqualTo(EMAIL);
      assertThat(verification.getFrom()[0].toString()).isEqualTo("auth@example.com");
      assertThat(verification.getSubject()).isEqualTo("Confirm your email address");
      assertThat(text(verification)).contains(server.baseUrl() + "/login/verify-email#token=");

      // unverified: the right password answers as a wrong one (issue 21 item 9), no session
      HttpResponse<String> wrong = login(server, EMAIL, "wrong password entirely");
      assertThat(wrong.statusCode()).isEqualTo(401);
      HttpResponse<String> unverified = login(server, EMAIL, PASSWORD);
      assertThat(unverified.statusCode()).isEqualTo(401);
      assertThat(unverified.body()).isEqualTo(wrong.body());

      // signing up the address again answers the same and mails its owner instead
      HttpResponse<String> again =
          postJson(signup, TestHttp.credentials(EMAIL, "an attacker's long password"));
      assertThat(again.statusCode()).isEqualTo(201);
      assertThat(again.body()).isEqualTo(created.body());
      MimeMessage notice = mail(2);
      assertThat(notice.getSubject()).isEqualTo("Someone tried to sign up with your address");
      assertThat(text(notice)).doesNotContain("#token=");

      String token = token(verification);
      HttpResponse<String> confirmed =
          post(
              server,
              "/api/email-verification/confirm",
              Map.of("token", token, "password", PASSWORD));
      assertThat(confirmed.statusCode()).isEqualTo(200);
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(200);
      assertThat(login(server, EMAIL, "an attacker's long password").statusCode()).isEqualTo(401);

      HttpResponse<String> reused =
          post(
              server,
              "/api/email-verification/confirm",
              Map.of("token", token, "password", PASSWORD));
      assertThat(reused.statusCode()).isEqualTo(400);
      assertThat(error(reused)).isEqualTo("token_used");
      HttpResponse<String> bogus =
          post(
              server,
              "/api/email-verification/confirm",
              Map.of("token", "x".repeat(43), "password", PASSWORD));
      assertThat(error(bogus)).isEqualTo("invalid_token");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void concurrentSignupsOfOneEmailAllGetTheUniformAnswer(TestDatabase db) throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    // As many hashing threads as sign-ups, so that their inserts meet.
    try (AuthServer server =
        start(
            db,
            c ->
                c.withHashing(new HashingSettings(TestDatabase.FAST_HASHING, 8, 64))
                    .withAccounts(c.accounts().withSignupLimit(100, Duration.ofMinutes(15))))) {
      String signup = server.baseUrl() + "/api/signup";
      HttpResponse<String> fresh =
          postJson(signup, TestHttp.credentials("someone.else@example.com", PASSWORD));
      assertThat(fresh.statusCode()).isEqualTo(201);

      int n = 8;
      ExecutorService pool = Executors.newFixedThreadPool(n);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String password = PASSWORD + " " + i;
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  return postJson(signup, TestHttp.credentials(EMAIL, password));
                }));
      }
      go.countDown();
      for (Future<HttpResponse<String>> answer : answers) {
        HttpResponse<String> r = answer.get(60, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(fresh.statusCode());
        assertThat(r.body()).isEqualTo(fresh.body());
      }
      pool.shutdownNow();
      assertThat(server.store().users().list()).filteredOn(u -> u.email().equals(EMAIL)).hasSize(1);
    } finally {
      root.detachAppender(logs);
    }
    assertThat(logs.list)
        .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .allSatisfy(
            e ->
                assertThat(e.getFormattedMessage() + " " + e.getThrowableProxy())
                    .doesNotContain(EMAIL));
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void verificationCanBeSentAgainAndOnlyTheNewestLinkWorks(TestDatabase db) throws Exception {
    try (AuthServer server = start(db, c -> c)) {
      postJson(server.baseUrl() + "/api/signup", TestHttp.credentials(EMAIL, PASSWORD));
      String first = token(mail(1));

      HttpResponse<String> resent = post(server, "/api/email-verification", Map.of("email", EMAIL));
      HttpResponse<String> unknown =
          post(server, "/api/email-verification", Map.of("email", "nobody@example.com"));
      assertThat(resent.statusCode()).isEqualTo(202);
      assertThat(unknown.statusCode()).isEqualTo(202);
      assertThat(unknown.body()).isEqualTo(resent.body());
      String second = token(mail(2));

      HttpResponse<String> old =
          post(
              server,
              "/api/email-verification/confirm",
              Map.of("token", first, "password", PASSWORD));
      assertThat(old.statusCode()).isEqualTo(400);
      assertThat(error(old)).isEqualTo("token_superseded");
      assertThat(
              post(
                      server,
                      "/api/email-verification/confirm",
                      Map.of("token", second, "password", PASSWORD))
                  .statusCode())
          .isEqualTo(200);

      // the mail limit (3 per window) holds per address: the answer stays the same
      for (int i = 0; i < 4; i++) {
        assertThat(post(server, "/api/email-verification", Map.of("email", EMAIL)).statusCode())
            .isEqualTo(202);
      }
      Thread.sleep(300);
      assertThat(smtp.getReceivedMessages()).hasSize(2); // verified now: nothing more to send
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void passwordResetSetsThePasswordAndEndsEverySession(TestDatabase db) throws Exception {
    MutableClock clock = MutableClock.startingNow();
    try (AuthServer server = start(db, c -> c.withClock(clock))) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      String oldSession = TestHttp.idToken(login(server, EMAIL, PASSWORD));

      HttpResponse<String> known = post(server, "/api/password-reset", Map.of("email", EMAIL));
      HttpResponse<String> unknown =
          post(server, "/api/password-reset", Map.of("email", "nobody@example.com"));
      HttpResponse<String> malformed =
          post(server, "/api/password-reset", Map.of("email", "not an address"));
      assertThat(known.statusCode()).isEqualTo(202);
      assertThat(unknown.statusCode()).isEqualTo(202);
      assertThat(malformed.statusCode()).isEqualTo(202);
      assertThat(unknown.body()).isEqualTo(known.body());
      MimeMessage first = mail(1);
      assertThat(first.getSubject()).isEqualTo("Reset your password");
      String superseded = token(first);

      post(server, "/api/password-reset", Map.of("email", EMAIL));
      String token = token(mail(2));
      Thread.sleep(200);
      assertThat(smtp.getReceivedMessages()).hasSize(2); // none for the unknown addresses

      HttpResponse<String> old =
          post(
              server,
              "/api/password-reset/confirm",
              Map.of("token", superseded, "password", NEW_PASSWORD));
      assertThat(old.statusCode()).isEqualTo(400);
      assertThat(error(old)).isEqualTo("token_superseded");

      HttpResponse<String> weak =
          post(server, "/api/password-reset/confirm", Map.of("token", token, "password", "short"));
      assertThat(weak.statusCode()).isEqualTo(400);
      assertThat(error(weak)).isEqualTo("weak_password");

      // the account was locked by failed logins: the reset unlocks it
      for (int i = 0; i < 12; i++) {
        login(server, EMAIL, "wrong password number " + i);
      }
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(429);

      HttpResponse<String> reset =
          post(
              server,
              "/api/password-reset/confirm",
              Map.of("token", token, "password", NEW_PASSWORD));
      assertThat(reset.statusCode()).isEqualTo(200);

      HttpResponse<String> session =
          get(server.baseUrl() + "/api/session", "Authorization", "Bearer " + oldSession);
      assertThat(session.statusCode()).isEqualTo(401);
      assertThat(get(server.baseUrl() + "/api/revocations").body())
          .contains(
              TestHttp.verify(server, oldSession, server.store().config().tokens().audience())
                  .getStringClaim("sid"));
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(401);
      assertThat(login(server, EMAIL, NEW_PASSWORD).statusCode()).isEqualTo(200);
      assertThat(mail(3).getSubject()).isEqualTo("Your password was changed");

      HttpResponse<String> reused =
          post(server, "/api/password-reset/confirm", Map.of("token", token, "password", PASSWORD));
      assertThat(error(reused)).isEqualTo("token_used");

      post(server, "/api/password-reset", Map.of("email", EMAIL));
      String late = token(mail(4));
      clock.advance(Duration.ofMinutes(31));
      HttpResponse<String> expired =
          post(server, "/api/password-reset/confirm", Map.of("token", late, "password", PASSWORD));
      assertThat(expired.statusCode()).isEqualTo(400);
      assertThat(error(expired)).isEqualTo("token_expired");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void passwordChangeEndsEverySessionAndAnswersWithANewOne(TestDatabase db) throws Exception {
    try (AuthServer server = start(db, c -> c)) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      String current = TestHttp.idToken(login(server, EMAIL, PASSWORD));
      String other = TestHttp.idToken(login(server, EMAIL, PASSWORD));
      String url = server.baseUrl() + "/api/password";

      HttpResponse<String> anonymous =
          postJson(url, body(Map.of("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD)));
      assertThat(anonymous.statusCode()).isEqualTo(401);
      HttpResponse<String> wrong =
          postJson(
              url,
              body(
                  Map.of("currentPassword", "not my password at all", "newPassword", NEW_PASSWORD)),
              "Authorization",
              "Bearer " + current);
      assertThat(wrong.statusCode()).isEqualTo(403);
      assertThat(error(wrong)).isEqualTo("wrong_password");

      HttpResponse<String> changed =
          postJson(
              url,
              body(Map.of("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD)),
              "Authorization",
              "Bearer " + current);
      assertThat(changed.statusCode()).isEqualTo(200);

      String session = server.baseUrl() + "/api/session";
      // issue 21 item 5: the current session ends too; the answer carries its successor
      assertThat(get(session, "Authorization", "Bearer " + current).statusCode()).isEqualTo(401);
      assertThat(get(session, "Authorization", "Bearer " + other).statusCode()).isEqualTo(401);
      String successor = TestHttp.idToken(changed);
      assertThat(get(session, "Authorization", "Bearer " + successor).statusCode()).isEqualTo(200);
      assertThat(login(server, EMAIL, NEW_PASSWORD).statusCode()).isEqualTo(200);
      assertThat(mail(1).getSubject()).isEqualTo("Your password was changed");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void inCookieModeThePasswordChangesWithTheSessionCookieAndItsXsrfHeaderOnly(TestDatabase db)
      throws Exception {
    try (AuthServer server =
        start(db, c -> c.withDelivery(c.delivery().withMode(DeliveryMode.COOKIE)))) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      assertThat(login.statusCode()).isEqualTo(200);
      // what the browser holds after this login: its cookies, and the XSRF-TOKEN value it echoes
      String cookies = cookieHeader(login);
      String xsrf = SetCookie.named(login, "XSRF-TOKEN").orElseThrow().value();
      String other = cookieHeader(login(server, EMAIL, PASSWORD));
      String url = server.baseUrl() + "/api/password";
      String change = body(Map.of("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD));

      // a cross-site form can make the browser send the cookie, never the header
      HttpResponse<String> withoutHeader = postJson(url, change, "Cookie", cookies);
      assertThat(withoutHeader.statusCode()).isEqualTo(403);
      assertThat(error(withoutHeader)).isEqualTo("xsrf_mismatch");
      // a sibling subdomain can toss its own XSRF-TOKEN cookie and send the matching header
      String tossed = cookies.replace("XSRF-TOKEN=" + xsrf, "XSRF-TOKEN=tossed-by-a-sibling");
      HttpResponse<String> tossedPair =
          postJson(url, change, "Cookie", tossed, "X-XSRF-TOKEN", "tossed-by-a-sibling");
      assertThat(tossed).doesNotContain(xsrf);
      assertThat(tossedPair.statusCode()).isEqualTo(403);
      assertThat(error(tossedPair)).isEqualTo("xsrf_mismatch");
      assertThat(login(server, EMAIL, NEW_PASSWORD).statusCode()).isEqualTo(401);

      HttpResponse<String> changed = postJson(url, change, "Cookie", cookies, "X-XSRF-TOKEN", xsrf);
      assertThat(changed.statusCode()).isEqualTo(200);
      assertThat(json(changed).get("status").asText()).isEqualTo("password_changed");

      String session = server.baseUrl() + "/api/session";
      assertThat(get(session, "Cookie", cookies).statusCode()).isEqualTo(401);
      assertThat(get(session, "Cookie", other).statusCode()).isEqualTo(401);
      assertThat(get(session, "Cookie", cookieHeader(changed)).statusCode()).isEqualTo(200);
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(401);
      assertThat(login(server, EMAIL, NEW_PASSWORD).statusCode()).isEqualTo(200);
      assertThat(mail(1).getSubject()).isEqualTo("Your password was changed");
    }
  }

  /** The {@code Cookie} header a browser sends back after this response's Set-Cookie headers. */
  private static String cookieHeader(HttpResponse<?> response) {
    return SetCookie.all(response).stream()
        .map(cookie -> cookie.name() + "=" + cookie.value())
        .collect(java.util.stream.Collectors.joining("; "));
  }

  @Test
  void aMailThatCannotBeSentIsCountedNotShown() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    int port = closedPort;
    try (AuthServer server =
        start(
            TestDatabase.H2,
            c ->
                TestHttp.withMetrics(c)
                    .withAccounts(
                        c.accounts()
                            .withMail(
                                c.accounts()
                                    .mail()
                                    .withSmtp("127.0.0.1", port, MailTls.NONE)
                                    .withRetries(2, Duration.ofMillis(10)))))) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      HttpResponse<String> r = post(server, "/api/password-reset", Map.of("email", EMAIL));
      assertThat(r.statusCode()).isEqualTo(202);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (server.mailer().failed() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(server.mailer().failed()).isEqualTo(1);
      assertThat(server.mailer().sent()).isZero();
      assertThat(TestHttp.get(TestHttp.metricsUrl(server)).body())
          .contains("latchkey_mail_sent_total{outcome=\"failed\"} 1.0")
          .contains("latchkey_mail_sent_total{outcome=\"sent\"} 0.0")
          .contains("latchkey_mail_pending 0.0");
    }
  }

  @Test
  void theMailFolderGetsEachMailAsAnEmlFile() throws Exception {
    Path dir = tempDir.resolve("mail");
    try (AuthServer server =
        start(
            TestDatabase.H2,
            c ->
                c.withAccounts(
                    c.accounts()
                        .withMail(c.accounts().mail().withMailDir(dir))
                        .withPagesUrl("http://localhost:4200")))) {
      postJson(server.baseUrl() + "/api/signup", TestHttp.credentials(EMAIL, PASSWORD));
      assertThat(text(mail(1))).contains("http://localhost:4200/verify-email#token=");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      List<Path> files = List.of();
      while (files.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
        if (Files.isDirectory(dir)) {
          try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".eml")).toList();
          }
        }
      }
      assertThat(files).hasSize(1);
      String eml = Files.readString(files.get(0));
      assertThat(eml).contains("Subject: Confirm your email address").contains("To: " + EMAIL);
    }
  }

  private static HttpResponse<String> postForm(
      AuthServer server, String path, String csrfCookie, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8)
                        + "="
                        + java.net.URLEncoder.encode(
                            e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
            .collect(java.util.stream.Collectors.joining("&"));
    return TestHttp.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Cookie", HostedLoginTest.CSRF_COOKIE + "=" + csrfCookie)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  @Test
  void theHostedPagesResetAPasswordFromTheMailedLink() throws Exception {
    try (AuthServer server = start(TestDatabase.H2, c -> c)) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      HttpResponse<String> login = get(server.baseUrl() + "/login");
      assertThat(login.body()).contains("href=\"/login/forgot-password\"");

      HttpResponse<String> forgot = get(server.baseUrl() + "/login/forgot-password");
      assertThat(forgot.statusCode()).isEqualTo(200);
      assertThat(forgot.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
      String cookie = SetCookie.named(forgot, HostedLoginTest.CSRF_COOKIE).orElseThrow().value();
      String csrf = HostedLoginTest.hidden(forgot.body(), "csrf");
      assertThat(
              postForm(
                      server,
                      "/login/forgot-password",
                      "wrong",
                      Map.of("csrf", csrf, "email", EMAIL))
                  .statusCode())
          .isEqualTo(403);
      HttpResponse<String> sent =
          postForm(server, "/login/forgot-password", cookie, Map.of("csrf", csrf, "email", EMAIL));
      assertThat(sent.statusCode()).isEqualTo(200);
      assertThat(sent.body()).contains("If this address has an account");
      MimeMessage reset = mail(1);
      assertThat(text(reset)).contains(server.baseUrl() + "/login/reset-password#token=");
      String token = token(reset);

      HttpResponse<String> page = get(server.baseUrl() + "/login/reset-password");
      String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
      assertThat(csp).contains("default-src 'none'").contains("script-src 'sha256-");
      assertThat(page.body()).contains("history.replaceState").contains("id=\"token\"");

      HttpResponse<String> weak =
          postForm(
              server,
              "/login/reset-password",
              cookie,
              Map.of("csrf", csrf, "token", token, "password", "short"));
      assertThat(weak.statusCode()).isEqualTo(400);
      HttpResponse<String> done =
          postForm(
              server,
              "/login/reset-password",
              cookie,
              Map.of("csrf", csrf, "token", token, "password", NEW_PASSWORD));
      assertThat(done.statusCode()).isEqualTo(200);
      assertThat(done.body()).contains("Password set");
      assertThat(login(server, EMAIL, NEW_PASSWORD).statusCode()).isEqualTo(200);
      HttpResponse<String> again =
          postForm(
              server,
              "/login/reset-password",
              cookie,
              Map.of("csrf", csrf, "token", token, "password", NEW_PASSWORD));
      assertThat(again.statusCode()).isEqualTo(400);
      assertThat(again.body()).contains("already been used");
    }
  }

  @Test
  void theHostedPageConfirmsAnEmailFromTheMailedLink() throws Exception {
    try (AuthServer server = start(TestDatabase.H2, c -> c)) {
      postJson(server.baseUrl() + "/api/signup", TestHttp.credentials(EMAIL, PASSWORD));
      MimeMessage verification = mail(1);
      // without an account pages URL, the link opens the auth server's own page
      assertThat(text(verification)).contains(server.baseUrl() + "/login/verify-email#token=");
      String token = token(verification);

      HttpResponse<String> page = get(server.baseUrl() + "/login/verify-email");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
      assertThat(page.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
      assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("script-src 'sha256-");
      // the fragment never reaches the server: the page's script moves it into the form
      assertThat(page.body())
          .contains("action=\"/login/verify-email\"", "id=\"token\"", "history.replaceState");
      String cookie = SetCookie.named(page, HostedLoginTest.CSRF_COOKIE).orElseThrow().value();
      String csrf = HostedLoginTest.hidden(page.body(), "csrf");

      HttpResponse<String> forged =
          postForm(
              server,
              VERIFY,
              "another",
              Map.of("csrf", csrf, "token", token, "password", PASSWORD));
      assertThat(forged.statusCode()).isEqualTo(403);
      assertThat(forged.body()).contains("This form has expired");
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(401);

      HttpResponse<String> bogus =
          postForm(
              server,
              VERIFY,
              cookie,
              Map.of("csrf", csrf, "token", "x".repeat(43), "password", PASSWORD));
      assertThat(bogus.statusCode()).isEqualTo(400);
      assertThat(bogus.body()).contains("This link is not valid");
      HttpResponse<String> empty = postForm(server, VERIFY, cookie, Map.of("csrf", csrf));
      assertThat(empty.statusCode()).isEqualTo(400);

      HttpResponse<String> confirmed =
          postForm(
              server, VERIFY, cookie, Map.of("csrf", csrf, "token", token, "password", PASSWORD));
      assertThat(confirmed.statusCode()).isEqualTo(200);
      assertThat(confirmed.body()).contains("Email confirmed");
      assertThat(login(server, EMAIL, PASSWORD).statusCode()).isEqualTo(200);

      HttpResponse<String> again =
          postForm(
              server, VERIFY, cookie, Map.of("csrf", csrf, "token", token, "password", PASSWORD));
      assertThat(again.statusCode()).isEqualTo(400);
      assertThat(again.body()).contains("already been used");
    }
  }
}
