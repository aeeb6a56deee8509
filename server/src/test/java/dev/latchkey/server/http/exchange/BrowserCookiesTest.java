package dev.latchkey.server.http.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.server.SetCookie;
import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.delivery.DeliverySettings;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.server.sessions.SessionTokens;
import dev.latchkey.server.tokens.IssuedToken;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.wire.Xsrf;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each cookie's exact attributes, read from the raw headers of a real answer on loopback. */
class BrowserCookiesTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Duration SESSION_LENGTH = Duration.ofHours(2);
  private static final RefreshSettings REFRESH_ON =
      new RefreshSettings(
          true,
          Duration.ofMinutes(15),
          Duration.ofDays(1),
          Duration.ofDays(7),
          Duration.ofSeconds(10),
          "__Secure-latchkey-refresh");
  private static final IssuedToken ACCESS =
      new IssuedToken("a.b.c", 900, NOW.plusSeconds(900), "kid", "jti", "sid", "xsrf-of-sid");
  private static final SessionTokens WITHOUT_REFRESH = new SessionTokens(ACCESS, null, null);
  private static final SessionTokens WITH_REFRESH =
      new SessionTokens(ACCESS, "refresh-token", NOW.plus(Duration.ofDays(1)));

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  /** One server for the class; each test's handler answers its own requests. */
  private static Javalin app;

  private static volatile Handler current;

  @BeforeAll
  static void startServer() {
    app =
        Javalin.create(
                c -> {
                  c.startup.showJavalinBanner = false;
                  c.jetty.host = "127.0.0.1";
                  c.routes.get("/", ctx -> current.handle(ctx));
                })
            .start(0);
  }

  @AfterAll
  static void stopServer() {
    app.stop();
  }

  @Test
  void bodyModeLoginSetsOnlyTheRefreshCookie() {
    BrowserCookies cookies = cookies(DeliverySettings.defaults(), REFRESH_ON);
    assertThat(answer(ctx -> cookies.setOnLogin(ctx, WITHOUT_REFRESH))).isEmpty();

    List<SetCookie> set = answer(ctx -> cookies.setOnLogin(ctx, WITH_REFRESH));
    assertThat(set).hasSize(1);
    SetCookie refresh = set.get(0);
    assertThat(refresh.name()).isEqualTo("__Secure-latchkey-refresh");
    assertThat(refresh.value()).isEqualTo("refresh-token");
    assertThat(refresh.attributes())
        .containsEntry("path", "/api/refresh")
        .containsEntry("max-age", "86400")
        .containsEntry("samesite", "Strict")
        .containsKeys("secure", "httponly")
        .doesNotContainKeys("domain", "expires");
  }

  @Test
  void cookieModeLoginSetsTheSessionAndXsrfCookies() {
    BrowserCookies cookies =
        cookies(DeliverySettings.defaults().withMode(DeliveryMode.COOKIE), RefreshSettings.OFF);
    List<SetCookie> set = answer(ctx -> cookies.setOnLogin(ctx, WITHOUT_REFRESH));

    assertThat(set).extracting(SetCookie::name).containsExactly("__Host-latchkey", "XSRF-TOKEN");
    SetCookie session = set.get(0);
    assertThat(session.value()).isEqualTo("a.b.c");
    assertThat(session.attributes())
        .containsEntry("path", "/")
        .containsEntry("max-age", "900")
        .containsEntry("samesite", "Lax")
        .containsKeys("secure", "httponly")
        .doesNotContainKey("domain");
    SetCookie xsrf = set.get(1);
    assertThat(xsrf.value()).as("the session's XSRF value").isEqualTo("xsrf-of-sid");
    assertThat(xsrf.attributes()).containsEntry("max-age", "900").containsKey("secure");
    assertThat(xsrf.has("HttpOnly")).as("scripts read the XSRF cookie").isFalse();
  }

  @Test
  void aSessionCookieNeverOutlivesTheSessionLength() {
    BrowserCookies cookies =
        new BrowserCookies(
            DeliverySettings.defaults().withMode(DeliveryMode.BOTH),
            Duration.ofMinutes(5),
            RefreshSettings.OFF,
            CLOCK);
    List<SetCookie> set = answer(ctx -> cookies.setOnLogin(ctx, WITHOUT_REFRESH));
    assertThat(set).allSatisfy(c -> assertThat(c.attr("Max-Age")).isEqualTo("300"));
  }

  @Test
  void aHostedLoginSetsTheSessionCookieEvenInBodyMode() {
    BrowserCookies cookies = cookies(DeliverySettings.defaults(), REFRESH_ON);
    List<SetCookie> set = answer(ctx -> cookies.setOnHostedLogin(ctx, WITH_REFRESH));
    assertThat(set)
        .extracting(SetCookie::name)
        .containsExactly("__Host-latchkey", "XSRF-TOKEN", "__Secure-latchkey-refresh");
  }

  @Test
  void aDomainAndInsecureCookiesChangeTheSessionCookiesOnly() {
    DeliverySettings delivery =
        DeliverySettings.defaults()
            .withMode(DeliveryMode.COOKIE)
            .withCookieDomain("example.com")
            .withInsecureCookies(true);
    BrowserCookies cookies = cookies(delivery, REFRESH_ON);
    List<SetCookie> set = answer(ctx -> cookies.setOnLogin(ctx, WITH_REFRESH));

    assertThat(set).extracting(SetCookie::name).contains("latchkey", "XSRF-TOKEN");
    for (SetCookie c : set.subList(0, 2)) {
      assertThat(c.attr("Domain")).as(c.name()).isEqualTo("example.com");
      assertThat(c.has("Secure")).as(c.name()).isFalse();
    }
    SetCookie refresh = set.get(2);
    assertThat(refresh.has("Domain")).isFalse();
    assertThat(refresh.has("Secure")).as("the refresh cookie is always Secure").isTrue();
  }

  @Test
  void logoutDeletesEverySessionCookieInEveryMode() {
    BrowserCookies body = cookies(DeliverySettings.defaults(), RefreshSettings.OFF);
    assertThat(answer(body::clearOnLogout))
        .extracting(SetCookie::name)
        .containsExactly("__Secure-latchkey-refresh", "__Host-latchkey", "XSRF-TOKEN");

    BrowserCookies cookieMode =
        cookies(DeliverySettings.defaults().withMode(DeliveryMode.COOKIE), REFRESH_ON);
    List<SetCookie> cleared = answer(cookieMode::clearOnLogout);
    assertThat(cleared)
        .extracting(SetCookie::name)
        .containsExactly("__Secure-latchkey-refresh", "__Host-latchkey", "XSRF-TOKEN");
    assertThat(cleared)
        .allSatisfy(
            c -> {
              assertThat(c.value()).isEmpty();
              assertThat(c.attr("Max-Age")).isEqualTo("0");
              assertThat(c.attr("Expires")).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
            });
    assertThat(SetCookie.parse(cookieMode.clearedRefresh()).attr("Path")).isEqualTo("/api/refresh");
  }

  @Test
  void theHostedLoginCsrfCookieIsHostOnlyAndStrict() {
    DeliverySettings withDomain = DeliverySettings.defaults().withCookieDomain("example.com");
    List<SetCookie> secure =
        answer(ctx -> cookies(withDomain, RefreshSettings.OFF).setHostedLoginCsrf(ctx, "t"));
    assertThat(secure).hasSize(1);
    assertThat(secure.get(0).name()).isEqualTo("__Host-latchkey-csrf");
    assertThat(secure.get(0).attributes())
        .containsEntry("path", "/")
        .containsEntry("max-age", "3600")
        .containsEntry("samesite", "Strict")
        .containsKeys("secure", "httponly")
        .doesNotContainKey("domain");

    DeliverySettings insecure = withDomain.withInsecureCookies(true);
    SetCookie plain =
        answer(ctx -> cookies(insecure, RefreshSettings.OFF).setHostedLoginCsrf(ctx, "t")).get(0);
    assertThat(plain.name()).isEqualTo("latchkey-csrf");
    assertThat(plain.has("Secure")).isFalse();
  }

  @Test
  void readsTheRequestsCookies() {
    BrowserCookies cookies = cookies(DeliverySettings.defaults(), REFRESH_ON);
    Function<String, String> read =
        cookieHeader ->
            body(
                ctx ->
                    ctx.result(
                        cookies.sessionToken(ctx).orElse("-")
                            + " "
                            + cookies.refreshToken(ctx)
                            + " "
                            + cookies.hostedLoginCsrf(ctx)),
                "Cookie",
                cookieHeader);
    assertThat(
            read.apply(
                "__Host-latchkey=s; __Secure-latchkey-refresh=r; __Host-latchkey-csrf=c; other=o"))
        .isEqualTo("s r c");
    assertThat(read.apply("__Host-latchkey=")).isEqualTo("- null null");
  }

  @Test
  void theXsrfHeaderMustRepeatTheXsrfCookieAndBeTheTokensValue() {
    VerifiedToken bound =
        VerifiedToken.of(
            new JWTClaimsSet.Builder().subject("u").claim("xsrf", Xsrf.binding("abc")).build(),
            "kid",
            "RS256");
    VerifiedToken unbound =
        VerifiedToken.of(new JWTClaimsSet.Builder().subject("u").build(), "kid", "RS256");
    Handler check = ctx -> ctx.result(String.valueOf(BrowserCookies.xsrfPasses(ctx, bound)));
    Handler checkUnbound =
        ctx -> ctx.result(String.valueOf(BrowserCookies.xsrfPasses(ctx, unbound)));
    assertThat(body(check, "Cookie", "XSRF-TOKEN=abc", "X-XSRF-TOKEN", "abc")).isEqualTo("true");
    assertThat(body(check, "Cookie", "XSRF-TOKEN=abc", "X-XSRF-TOKEN", "abd")).isEqualTo("false");
    assertThat(body(check, "Cookie", "XSRF-TOKEN=abd", "X-XSRF-TOKEN", "abd")).isEqualTo("false");
    assertThat(body(check, "Cookie", "XSRF-TOKEN=abc")).isEqualTo("false");
    assertThat(body(check, "X-XSRF-TOKEN", "abc")).isEqualTo("false");
    assertThat(body(checkUnbound, "Cookie", "XSRF-TOKEN=abc", "X-XSRF-TOKEN", "abc"))
        .isEqualTo("false");
  }

  @Test
  void randomTokensAreBase64Url256Bits() {
    assertThat(BrowserCookies.randomToken())
        .matches("[A-Za-z0-9_-]{43}")
        .isNotEqualTo(BrowserCookies.randomToken());
  }

  private static BrowserCookies cookies(DeliverySettings delivery, RefreshSettings refresh) {
    return new BrowserCookies(delivery, SESSION_LENGTH, refresh, CLOCK);
  }

  /** The cookies a handler sets, in order. */
  private static List<SetCookie> answer(Handler handler, String... requestHeaders) {
    return SetCookie.all(exchange(handler, requestHeaders));
  }

  private static String body(Handler handler, String... requestHeaders) {
    return exchange(handler, requestHeaders).body();
  }

  private static HttpResponse<String> exchange(Handler handler, String... requestHeaders) {
    current = handler;
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/"));
    if (requestHeaders.length > 0) {
      request.headers(requestHeaders);
    }
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
