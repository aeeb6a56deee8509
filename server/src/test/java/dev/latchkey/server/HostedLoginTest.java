package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.get;
import static dev.latchkey.server.TestHttp.json;
import static dev.latchkey.server.TestHttp.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.delivery.DeliverySettings;
import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.server.users.HashingSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 5: the hosted login page over real HTTP (redirects are never followed). */
class HostedLoginTest {
  static final String EMAIL = DeliveryTest.EMAIL;
  static final String PASSWORD = DeliveryTest.PASSWORD;
  static final String APP = "https://app.example.com/app";
  static final String DEFAULT = "https://app.example.com/home";
  static final String CSRF_COOKIE = "__Host-latchkey-csrf";

  @TempDir Path tempDir;
  private final List<AuthServerConfig> dropLater = new ArrayList<>();

  @AfterEach
  void dropSchemas() {
    dropLater.forEach(TestDatabase::dropSchema);
  }

  private AuthServer start(TestDatabase db, UnaryOperator<AuthServerConfig> custom) {
    AuthServerConfig fresh = db.freshConfig(tempDir);
    AuthServerConfig config =
        custom.apply(
            fresh.withDelivery(
                fresh
                    .delivery()
                    .withReturnToAllowList(List.of(APP, "http://localhost:8080"))
                    .withDefaultReturnTo(DEFAULT)));
    dropLater.add(config);
    AuthServer server = AuthServer.start(config);
    server.store().users().add(EMAIL, PASSWORD.toCharArray());
    return server;
  }

  /** What a browser holds after loading the form: the CSRF cookie and the hidden field. */
  record Form(String cookie, String field, String returnTo, HttpResponse<String> page) {}

  static Form open(AuthServer server, String returnTo) {
    String url = server.baseUrl() + "/login";
    if (returnTo != null) {
      url += "?return_to=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8);
    }
    HttpResponse<String> page = get(url);
    return new Form(
        SetCookie.named(page, CSRF_COOKIE).orElseThrow().value(),
        hidden(page.body(), "csrf"),
        hidden(page.body(), "return_to"),
        page);
  }

  /** The page's one script element is the server's passkey script (issue 22), nothing inline. */
  static void onlyOwnScript(AuthServer server, String html) {
    assertThat(html.split("<script", -1)).hasSize(2);
    assertThat(html)
        .contains("<script src=\"" + server.publicUrl() + "/login/passkey.js\" data-options=")
        .contains("\"></script>\n");
  }

  static String hidden(String html, String name) {
    Matcher m =
        Pattern.compile("<input type=\"hidden\" name=\"" + name + "\" value=\"([^\"]*)\">")
            .matcher(html);
    assertThat(m.find()).as("hidden field " + name).isTrue();
    return m.group(1);
  }

  static HttpResponse<String> post(
      AuthServer server, String cookieHeader, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (cookieHeader != null) {
      b.header("Cookie", cookieHeader);
    }
    return TestHttp.send(b.build());
  }

  static HttpResponse<String> submit(
      AuthServer server, Form form, String email, String password, String returnTo) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("email", email);
    fields.put("password", password);
    fields.put("return_to", returnTo);
    fields.put("csrf", form.field());
    return post(server, CSRF_COOKIE + "=" + form.cookie(), fields);
  }

  @Test
  void theFormHasACsrfTokenAndStrictHeaders() {
    try (AuthServer server = start(TestDatabase.H2, c -> c)) {
      Form form = open(server, APP + "/lessons");
      HttpResponse<String> page = form.page();

      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
      String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
      assertThat(csp)
          .contains(
              "default-src 'none'",
              "style-src 'unsafe-inline'",
              "form-action 'self' https://app.example.com http://localhost:8080",
              "frame-ancestors 'none'");
      assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
      assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
      assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");

      SetCookie csrf = SetCookie.named(page, CSRF_COOKIE).orElseThrow();
      assertThat(csrf.has("HttpOnly")).isTrue();
      assertThat(csrf.has("Secure")).isTrue();
      assertThat(csrf.attr("SameSite")).isEqualTo("Strict");
      assertThat(csrf.attr("Path")).isEqualTo("/");
      assertThat(csrf.has("Domain")).isFalse();
      assertThat(form.field()).isEqualTo(csrf.value()).hasSizeGreaterThanOrEqualTo(22);
      assertThat(form.returnTo()).isEqualTo(APP + "/lessons");
      assertThat(page.body())
          .contains(
              "<form method=\"post\" action=\"" + server.publicUrl() + "/login\">",
              "name=\"email\"",
              "name=\"password\"");
      onlyOwnScript(server, page.body());
      assertThat(page.headers().allValues("Set-Cookie")).hasSize(1);

      // A second visit keeps the token (several tabs), a missing return_to leaves the field empty.
      HttpResponse<String> again =
          get(server.baseUrl() + "/login", "Cookie", CSRF_COOKIE + "=" + form.cookie());
      assertThat(hidden(again.body(), "csrf")).isEqualTo(form.cookie());
      assertThat(hidden(again.body(), "return_to")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void successSetsTheSessionCookiesAndRedirectsToTheAllowedReturnTo(TestDatabase db)
      throws Exception {
    try (AuthServer server = start(db, c -> c)) {
      Form form = open(server, APP + "/lessons?tab=1#top");

      HttpResponse<String> r = submit(server, form, " Ada@Example.com", PASSWORD, form.returnTo());

      assertThat(r.statusCode()).isEqualTo(303);
      assertThat(r.headers().firstValue("Location")).contains(APP + "/lessons?tab=1#top");
      assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
      SetCookie session = SetCookie.named(r, "__Host-latchkey").orElseThrow();
      assertThat(session.has("HttpOnly")).isTrue();
      assertThat(session.has("Secure")).isTrue();
      assertThat(session.attr("SameSite")).isEqualTo("Lax");
      assertThat(session.attr("Path")).isEqualTo("/");
      assertThat(session.attr("Max-Age")).isEqualTo("7200");
      verify(server, session.value(), "latchkey-demo");
      SetCookie xsrf = SetCookie.named(r, "XSRF-TOKEN").orElseThrow();
      assertThat(xsrf.has("HttpOnly")).isFalse();
      assertThat(xsrf.has("Secure")).isTrue();

      // Body mode: the SPA then gets the token from /api/session with the cookie.
      HttpResponse<String> s =
          get(server.baseUrl() + "/api/session", "Cookie", "__Host-latchkey=" + session.value());
      assertThat(s.statusCode()).isEqualTo(200);
      assertThat(json(s).get("idToken").asText()).isEqualTo(session.value());
    }
  }

  @Test
  void worksInCookieModeWithADomainAndWithoutAReturnTo() {
    try (AuthServer server =
        start(
            TestDatabase.H2,
            c ->
                c.withDelivery(
                    c.delivery().withMode(DeliveryMode.COOKIE).withCookieDomain("example.com")))) {
      Form form = open(server, null);

      HttpResponse<String> r = submit(server, form, EMAIL, PASSWORD, "");

      assertThat(r.statusCode()).isEqualTo(303);
      assertThat(r.headers().firstValue("Location")).contains(DEFAULT);
      assertThat(SetCookie.named(r, "latchkey").orElseThrow().attr("Domain"))
          .isEqualTo("example.com");
      assertThat(SetCookie.named(r, "XSRF-TOKEN").orElseThrow().attr("Domain"))
          .isEqualTo("example.com");
      // The CSRF cookie stays host-only.
      assertThat(SetCookie.named(form.page(), CSRF_COOKIE).orElseThrow().has("Domain")).isFalse();
    }
  }

  @Test
  void theBuiltInDefaultTargetIsTheSignedInPage() {
    AuthServerConfig fresh = TestDatabase.H2.freshConfig(tempDir);
    AuthServerConfig config =
        fresh.withDelivery(fresh.delivery().withReturnToAllowList(List.of(APP)));
    try (AuthServer server = AuthServer.start(config)) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      HttpResponse<String> r = submit(server, open(server, null), EMAIL, PASSWORD, "//evil.com");

      assertThat(r.headers().firstValue("Location")).contains(server.publicUrl() + "/login/done");
      HttpResponse<String> done = get(server.baseUrl() + "/login/done");
      assertThat(done.statusCode()).isEqualTo(200);
      assertThat(done.body()).contains("You are signed in");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void failuresReRenderTheFormWithOneGenericMessageAndTheEmail(TestDatabase db) {
    try (AuthServer server = start(db, c -> c)) {
      server.store().users().add("bob@example.com", PASSWORD.toCharArray());
      server.store().users().disable("bob@example.com");
      Form form = open(server, APP);

      HttpResponse<String> wrong = submit(server, form, EMAIL, "not the password", APP);
      HttpResponse<String> unknown = submit(server, form, "eve@example.com", PASSWORD, APP);
      HttpResponse<String> disabled = submit(server, form, "bob@example.com", PASSWORD, APP);
      HttpResponse<String> empty = submit(server, form, "", "", APP);

      for (HttpResponse<String> r : List.of(wrong, unknown, disabled, empty)) {
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(SetCookie.named(r, "__Host-latchkey")).isEmpty();
        assertThat(SetCookie.named(r, "XSRF-TOKEN")).isEmpty();
        assertThat(r.body()).contains("The email or password is incorrect.");
        assertThat(hidden(r.body(), "return_to")).isEqualTo(APP);
        assertThat(hidden(r.body(), "csrf")).isEqualTo(form.cookie());
      }
      assertThat(wrong.body()).contains("value=\"" + EMAIL + "\"");
      assertThat(unknown.body().replace("eve@example.com", EMAIL)).isEqualTo(wrong.body());
      assertThat(disabled.body().replace("bob@example.com", EMAIL)).isEqualTo(wrong.body());
    }
  }

  @Test
  void aFullHashingPoolReRendersTheFormWith503AndRetryAfter() {
    try (AuthServer server =
        start(
            TestDatabase.H2,
            c -> c.withHashing(new HashingSettings(new Argon2Params(19 * 1024, 6, 1), 1, 0)))) {
      ExecutorService senders = Executors.newFixedThreadPool(8);
      Form form = open(server, APP);
      List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String email = "user" + i + "@example.com";
        flood.add(
            CompletableFuture.supplyAsync(
                () -> submit(server, form, email, "wrong", APP), senders));
      }
      List<HttpResponse<String>> busy =
          flood.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 503).toList();
      senders.shutdown();

      assertThat(busy).isNotEmpty();
      for (HttpResponse<String> r : busy) {
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(r.headers().firstValue("Retry-After")).contains("1");
        assertThat(r.body()).contains("Too many sign-ins at once.");
        assertThat(hidden(r.body(), "csrf")).isEqualTo(form.cookie());
      }
    }
  }

  @Test
  void missingOrMismatchedCsrfIs403() {
    try (AuthServer server = start(TestDatabase.H2, c -> c)) {
      Form form = open(server, APP);
      Form other = open(server, APP);
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("email", EMAIL);
      fields.put("password", PASSWORD);
      fields.put("return_to", APP);

      List<HttpResponse<String>> refused = new ArrayList<>();
      // No field, no cookie, neither, a field from another visit, a forged pair of wrong shape.
      refused.add(post(server, CSRF_COOKIE + "=" + form.cookie(), fields));
      Map<String, String> withField = new LinkedHashMap<>(fields);
      withField.put("csrf", form.field());
      refused.add(post(server, null, withField));
      refused.add(post(server, "latchkey-csrf=" + form.cookie(), withField));
      refused.add(post(server, CSRF_COOKIE + "=" + other.cookie(), withField));
      Map<String, String> forged = new LinkedHashMap<>(fields);
      forged.put("csrf", "x");
      refused.add(post(server, CSRF_COOKIE + "=x", forged));
      Map<String, String> emptyField = new LinkedHashMap<>(fields);
      emptyField.put("csrf", "");
      refused.add(post(server, CSRF_COOKIE + "=", emptyField));

      for (HttpResponse<String> r : refused) {
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(SetCookie.named(r, "__Host-latchkey")).isEmpty();
        assertThat(r.body()).contains("expired");
        // A fresh form to try again, with its token.
        assertThat(hidden(r.body(), "csrf"))
            .isEqualTo(SetCookie.named(r, CSRF_COOKIE).orElseThrow().value());
      }
      assertThat(submit(server, form, EMAIL, PASSWORD, APP).statusCode()).isEqualTo(303);
    }
  }

  @Test
  void everyOpenRedirectAttemptGoesToTheDefaultTarget() {
    List<String> attacks =
        List.of(
            "https://evil.com/",
            "https://evil.com/app",
            "//evil.com",
            "//evil.com/app",
            "///evil.com",
            "/\\evil.com",
            "\\/evil.com",
            "\\\\evil.com",
            "/app",
            "app",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "JAVASCRIPT:alert(document.domain)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "javascript://app.example.com/app%0aalert(1)",
            "data:text/html,<script>alert(1)</script>",
            "DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "vbscript:msgbox(1)",
            "https://app.example.com@evil.com/app",
            "https://app.example.com:443@evil.com/app",
            "https://user:pass@app.example.com/app",
            "https://app.example.com%40evil.com/app",
            "https://app.example.com\\@evil.com/app",
            "https://app.example.com\\evil.com/app",
            "https://app.example.com.evil.com/app",
            "https://evil.com#https://app.example.com/app",
            "https://evil.com/?https://app.example.com/app",
            "https:evil.com/app",
            "https:/evil.com/app",
            "https:///evil.com/app",
            "http://app.example.com/app",
            "https://app.example.com:8443/app",
            "https://app.example.com/",
            "https://app.example.com/other",
            "https://app.example.com/application",
            "https://app.example.com/app/../admin",
            "https://app.example.com/app/./x",
            "https://app.example.com/app//evil.com",
            "https://app.example.com/app/%2e%2e/admin",
            "https://app.example.com/app/%2E%2E/admin",
            "https://app.example.com/app%2f..%2fadmin",
            "https://app.example.com/app%2F..%2Fadmin",
            "https://app.example.com/app/..%5cadmin",
            "https://app.example.com/app/%252e%252e/admin",
            "https://app.example.com/app/%0d%0aSet-Cookie:x=1",
            "https://app.example.com/app\r\nSet-Cookie: x=1",
            "https%3A%2F%2Fevil.com",
            "%2F%2Fevil.com",
            "%2f%2fevil.com",
            "/%2F%2Fevil.com",
            "%68ttps://evil.com",
            "HTTPS://APP.EXAMPLE.COM/app",
            "https://APP.example.com/app",
            "hTtPs://app.example.com/app",
            "https://app.exаmple.com/app", // Cyrillic a
            "https://app.example.com/app\u0000",
            "https://evil.com\u3002app.example.com/app",
            "http://localhost:8080.evil.com/",
            "http://localhost:8081/",
            "http://127.0.0.1:8080/",
            "https://" + "a".repeat(2100) + ".example.com/app",
            "");
    try (AuthServer server = start(TestDatabase.H2, c -> c)) {
      Form form = open(server, null);
      for (String attack : attacks) {
        HttpResponse<String> r = submit(server, form, EMAIL, PASSWORD, attack);
        assertThat(r.statusCode()).as(attack).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).as(attack).contains(DEFAULT);

        // The GET never puts a refused return_to into the page.
        HttpResponse<String> page =
            get(
                server.baseUrl()
                    + "/login?return_to="
                    + URLEncoder.encode(attack, StandardCharsets.UTF_8));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(hidden(page.body(), "return_to")).as(attack).isEmpty();
      }

      Map<String, String> allowed = new LinkedHashMap<>();
      allowed.put(APP, APP);
      allowed.put(APP + "/", APP + "/");
      allowed.put(APP + "/lessons/42?x=%20y&z=1#frag", APP + "/lessons/42?x=%20y&z=1#frag");
      allowed.put("https://app.example.com:443/app/x", APP + "/x");
      allowed.put("http://localhost:8080", "http://localhost:8080/");
      allowed.put("http://localhost:8080/lessons", "http://localhost:8080/lessons");
      allowed.forEach(
          (returnTo, expected) -> {
            HttpResponse<String> r = submit(server, form, EMAIL, PASSWORD, returnTo);
            assertThat(r.statusCode()).as(returnTo).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).as(returnTo).contains(expected);
          });
    }
  }

  @Test
  void userInputIsEscaped() {
    try (AuthServer server = start(TestDatabase.H2, c -> c)) {
      String xssReturnTo = APP + "?q=\"><script>alert(1)</script>";
      Form hostile = open(server, xssReturnTo);
      assertThat(hostile.page().body()).doesNotContain("alert(1)");
      onlyOwnScript(server, hostile.page().body());

      String quotes = APP + "/x?a=1&b='y'";
      Form form = open(server, quotes);
      assertThat(form.page().body())
          .contains("value=\"" + APP + "/x?a=1&amp;b=&#39;y&#39;\"")
          .doesNotContain("b='y'");

      String email = "\"><script>alert(1)</script><x a='@example.com";
      HttpResponse<String> r = submit(server, form, email, "wrong password here", quotes);
      assertThat(r.statusCode()).isEqualTo(401);
      onlyOwnScript(server, r.body());
      assertThat(r.body())
          .doesNotContain("<x a=")
          .contains(
              "value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;x a=&#39;@example.com\"");
    }
  }

  @Test
  void badFormsAreRefusedCleanly() {
    try (AuthServer server = start(TestDatabase.H2, c -> c)) {
      Form form = open(server, APP);
      HttpResponse<String> json =
          TestHttp.postJson(server.baseUrl() + "/login", "{\"email\":\"a\"}");
      assertThat(json.statusCode()).isEqualTo(415);

      String cookie = CSRF_COOKIE + "=" + form.cookie();
      HttpResponse<String> repeated =
          TestHttp.send(
              HttpRequest.newBuilder(URI.create(server.baseUrl() + "/login"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .header("Cookie", cookie)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "email=a&email=b&password=x&csrf=" + form.field()))
                  .build());
      assertThat(repeated.statusCode()).isEqualTo(400);

      Map<String, String> huge = new LinkedHashMap<>();
      huge.put("email", "a".repeat(2000));
      huge.put("password", "x");
      huge.put("csrf", form.field());
      assertThat(post(server, cookie, huge).statusCode()).isEqualTo(400);
      huge.put("email", "a".repeat(70_000));
      assertThat(post(server, cookie, huge).statusCode()).isEqualTo(413);
    }
  }

  @Test
  void theHostedPageCanBeTurnedOff() {
    try (AuthServer server =
        start(TestDatabase.H2, c -> c.withDelivery(c.delivery().withHostedLogin(false)))) {
      assertThat(get(server.baseUrl() + "/login").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void allowListAndDefaultAreCheckedAtConfiguration() {
    DeliverySettings c = DeliverySettings.defaults();
    for (List<String> bad :
        List.of(
            List.of("https://*.example.com"),
            List.of("https://app.example.com/app?x=1"),
            List.of("https://app.example.com/#x"),
            List.of("https://user@app.example.com/"),
            List.of("javascript:alert(1)"),
            List.of("//app.example.com"),
            List.of("https://app.example.com/a/../b"),
            List.of("app.example.com"))) {
      assertThatThrownBy(() -> c.withReturnToAllowList(bad))
          .as(bad.toString())
          .isInstanceOf(IllegalArgumentException.class);
    }
    for (String bad : List.of("//evil.com", "/\\evil.com", "javascript:alert(1)", "evil.com")) {
      assertThatThrownBy(() -> c.withDefaultReturnTo(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(c.withReturnToAllowList(List.of("HTTPS://App.Example.com/app")).returnToAllowList())
        .containsExactly("https://app.example.com/app");
  }
}
