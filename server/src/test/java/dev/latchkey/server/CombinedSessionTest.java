package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.get;
import static dev.latchkey.server.TestHttp.idToken;
import static dev.latchkey.server.TestHttp.json;
import static dev.latchkey.server.TestHttp.login;
import static dev.latchkey.server.TestHttp.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.server.throttle.ThrottleSettings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cookie delivery, the hosted page, refresh sessions and throttling working together: the seams
 * between the session features.
 */
class CombinedSessionTest {
  static final String EMAIL = "ada@example.com";
  static final String PASSWORD = "correct horse battery staple";

  @TempDir Path tempDir;
  private final List<AuthServerConfig> dropLater = new ArrayList<>();

  @AfterEach
  void dropSchemas() {
    dropLater.forEach(TestDatabase::dropSchema);
  }

  private AuthServer start(UnaryOperator<AuthServerConfig> custom) {
    AuthServerConfig config = custom.apply(TestDatabase.H2.freshConfig(tempDir));
    dropLater.add(config);
    AuthServer server = AuthServer.start(config);
    server.store().users().add(EMAIL, PASSWORD.toCharArray());
    return server;
  }

  private static String cookieHeader(HttpResponse<?> login) {
    StringBuilder header = new StringBuilder();
    for (SetCookie cookie : SetCookie.all(login)) {
      if (header.length() > 0) header.append("; ");
      header.append(cookie.name()).append('=').append(cookie.value());
    }
    return header.toString();
  }

  private static String xsrf(HttpResponse<?> login) {
    return SetCookie.named(login, "XSRF-TOKEN").orElseThrow().value();
  }

  @Test
  void aBodyModeLogoutEndsTheSessionForApiSession() {
    try (AuthServer server = start(c -> c)) {
      String token = idToken(login(server, EMAIL, PASSWORD));
      String bearer = "Bearer " + token;
      assertThat(get(server.baseUrl() + "/api/session", "Authorization", bearer).statusCode())
          .isEqualTo(200);

      HttpResponse<String> logout =
          postJson(server.baseUrl() + "/api/logout", "", "Authorization", bearer);
      assertThat(logout.statusCode()).isEqualTo(204);

      assertThat(get(server.baseUrl() + "/api/session", "Authorization", bearer).statusCode())
          .isEqualTo(401);
    }
  }

  @Test
  void aCookieLogoutWithTheXsrfHeaderRevokesTheSessionAndClearsTheCookies() {
    try (AuthServer server =
        start(c -> c.withDelivery(c.delivery().withMode(DeliveryMode.COOKIE)))) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      String cookies = cookieHeader(login);

      HttpResponse<String> logout =
          postJson(
              server.baseUrl() + "/api/logout", "", "Cookie", cookies, "X-XSRF-TOKEN", xsrf(login));

      assertThat(logout.statusCode()).isEqualTo(204);
      assertThat(SetCookie.named(logout, "__Host-latchkey").orElseThrow().attr("Max-Age"))
          .isEqualTo("0");
      assertThat(SetCookie.named(logout, "XSRF-TOKEN").orElseThrow().attr("Max-Age"))
          .isEqualTo("0");
      assertThat(get(server.baseUrl() + "/api/session", "Cookie", cookies).statusCode())
          .isEqualTo(401);
      assertThat(json(get(server.baseUrl() + "/api/revocations")).get("revoked")).hasSize(1);
    }
  }

  @Test
  void aCrossSiteLogoutWithoutTheXsrfHeaderRevokesNothing() {
    try (AuthServer server =
        start(c -> c.withDelivery(c.delivery().withMode(DeliveryMode.COOKIE)))) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      String cookies = cookieHeader(login);

      postJson(server.baseUrl() + "/api/logout", "", "Cookie", cookies);

      assertThat(get(server.baseUrl() + "/api/session", "Cookie", cookies).statusCode())
          .isEqualTo(200);
      assertThat(json(get(server.baseUrl() + "/api/revocations")).get("revoked")).isEmpty();
    }
  }

  /** The cookie header of a login with its XSRF cookie replaced by {@code xsrf}. */
  private static String withXsrfCookie(HttpResponse<?> login, String xsrf) {
    return cookieHeader(login).replace("XSRF-TOKEN=" + xsrf(login), "XSRF-TOKEN=" + xsrf);
  }

  @Test
  void aTossedXsrfCookieWithAMatchingHeaderIsRefusedOnCookieAuthenticatedRoutes() {
    try (AuthServer server =
        start(c -> c.withDelivery(c.delivery().withMode(DeliveryMode.COOKIE)))) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      String otherSessionsXsrf = xsrf(login(server, EMAIL, PASSWORD));
      String change =
          "{\"currentPassword\":\"" + PASSWORD + "\",\"newPassword\":\"a new long password 7\"}";
      for (String tossed : new String[] {"chosen-by-attacker", otherSessionsXsrf}) {
        String cookies = withXsrfCookie(login, tossed);

        HttpResponse<String> refused =
            postJson(
                server.baseUrl() + "/api/password",
                change,
                "Cookie",
                cookies,
                "X-XSRF-TOKEN",
                tossed);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).get("error").asText()).isEqualTo("xsrf_mismatch");
        assertThat(json(refused).has("message")).isTrue();
        postJson(server.baseUrl() + "/api/logout", "", "Cookie", cookies, "X-XSRF-TOKEN", tossed);
        assertThat(json(get(server.baseUrl() + "/api/revocations")).get("revoked")).isEmpty();
      }

      HttpResponse<String> changed =
          postJson(
              server.baseUrl() + "/api/password",
              change,
              "Cookie",
              cookieHeader(login),
              "X-XSRF-TOKEN",
              xsrf(login));
      assertThat(changed.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aRefreshInCookieModeRenewsTheSessionCookieAndAnswersWithoutTheToken() {
    try (AuthServer server =
        start(
            c ->
                c.withDelivery(c.delivery().withMode(DeliveryMode.COOKIE))
                    .withSessions(
                        c.sessions()
                            .withRefresh(
                                RefreshSettings.on(
                                        Duration.ofMinutes(15),
                                        Duration.ofDays(1),
                                        Duration.ofDays(7))
                                    .withMinInterval(Duration.ZERO))))) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      SetCookie refreshCookie =
          SetCookie.all(login).stream()
              .filter(c -> c.attr("Path") != null && c.attr("Path").equals("/api/refresh"))
              .findFirst()
              .orElseThrow();

      HttpResponse<String> refreshed =
          postJson(
              server.baseUrl() + "/api/refresh",
              "",
              "Cookie",
              refreshCookie.name() + "=" + refreshCookie.value());

      assertThat(refreshed.statusCode()).isEqualTo(200);
      assertThat(json(refreshed).has("idToken")).isFalse();
      assertThat(json(refreshed).get("expiresIn").asLong()).isEqualTo(900);
      SetCookie session = SetCookie.named(refreshed, "__Host-latchkey").orElseThrow();
      assertThat(session.has("HttpOnly")).isTrue();
      assertThat(session.value()).startsWith("eyJ");
      assertThat(xsrf(refreshed)).as("same session, same XSRF value").isEqualTo(xsrf(login));

      HttpResponse<String> logout =
          postJson(
              server.baseUrl() + "/api/logout",
              "",
              "Cookie",
              "__Host-latchkey=" + session.value() + "; XSRF-TOKEN=" + xsrf(login),
              "X-XSRF-TOKEN",
              xsrf(login));
      assertThat(logout.statusCode()).isEqualTo(204);
      assertThat(json(get(server.baseUrl() + "/api/revocations")).get("revoked")).hasSize(1);
    }
  }

  @Test
  void theHostedPageIsThrottledLikeTheApi() {
    try (AuthServer server =
        start(
            c ->
                c.withSessions(
                    c.sessions()
                        .withThrottle(ThrottleSettings.defaults().withThresholds(2, 100))))) {
      for (int i = 0; i < 2; i++) {
        assertThat(login(server, EMAIL, "wrong password " + i).statusCode()).isEqualTo(401);
      }
      HostedLoginTest.Form form = HostedLoginTest.open(server, null);
      HttpResponse<String> locked = HostedLoginTest.submit(server, form, EMAIL, PASSWORD, "");
      assertThat(locked.statusCode()).isEqualTo(429);
      assertThat(locked.headers().firstValue("Retry-After")).isPresent();
      assertThat(locked.body()).contains("Too many");
      assertThat(SetCookie.named(locked, "__Host-latchkey")).isEmpty();
    }
  }
}
