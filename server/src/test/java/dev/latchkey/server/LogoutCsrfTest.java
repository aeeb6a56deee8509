package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.get;
import static dev.latchkey.server.TestHttp.json;
import static dev.latchkey.server.TestHttp.login;
import static dev.latchkey.server.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.sessions.RefreshSettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 item 7: {@code /api/logout}, {@code /api/refresh} and {@code /api/refresh/logout} refuse
 * what a cross-site form can send (no {@code application/json}, no custom header), and a logout
 * clears cookies only when the request proved itself.
 */
class LogoutCsrfTest {
  private static final String EMAIL = "ada@example.com";
  private static final String PASSWORD = "correct horse battery staple";
  private static final String REFRESH = "__Secure-latchkey-refresh";
  private static final List<String> ROUTES =
      List.of("/api/logout", "/api/refresh", "/api/refresh/logout");

  @TempDir Path tempDir;
  private final List<AuthServerConfig> dropLater = new ArrayList<>();

  @AfterEach
  void dropSchemas() {
    dropLater.forEach(TestDatabase::dropSchema);
  }

  /** Cookie mode with refresh sessions: every cookie a cross-site form could ride on. */
  private AuthServer start() {
    AuthServerConfig c = TestDatabase.quiet(TestDatabase.H2.freshConfig(tempDir));
    c =
        c.withDelivery(c.delivery().withMode(DeliveryMode.COOKIE))
            .withSessions(
                c.sessions()
                    .withRefresh(
                        RefreshSettings.on(
                            Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(8))));
    dropLater.add(c);
    AuthServer server = AuthServer.start(c);
    server.store().users().add(EMAIL, PASSWORD.toCharArray());
    return server;
  }

  /** A POST with a raw content type (or none) and body, as a browser would send it. */
  private static HttpResponse<String> post(
      String url, String contentType, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(
        b.POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static String cookieHeader(HttpResponse<?> login) {
    StringBuilder header = new StringBuilder();
    for (SetCookie cookie : SetCookie.all(login)) {
      if (header.length() > 0) {
        header.append("; ");
      }
      header.append(cookie.name()).append('=').append(cookie.value());
    }
    return header.toString();
  }

  private static String value(HttpResponse<?> r, String name) {
    return SetCookie.named(r, name).orElseThrow().value();
  }

  private static String sid(HttpResponse<?> login) throws Exception {
    return SignedJWT.parse(value(login, "__Host-latchkey")).getJWTClaimsSet().getStringClaim("sid");
  }

  @Test
  void whatACrossSiteFormCanSendIsRefusedAndClearsNothing() throws Exception {
    try (AuthServer server = start()) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      String cookies = cookieHeader(login);
      String[][] forms = {
        {"application/x-www-form-urlencoded", "a=b"},
        {
          "multipart/form-data; boundary=x",
          "--x\r\nContent-Disposition: form-data; name=a\r\n\r\nb\r\n--x--\r\n"
        },
        {"text/plain", "{}"},
        {null, null},
      };
      for (String route : ROUTES) {
        for (String[] form : forms) {
          HttpResponse<String> r =
              post(server.baseUrl() + route, form[0], form[1], "Cookie", cookies);
          assertThat(r.statusCode()).as(route + " " + form[0]).isEqualTo(415);
          assertThat(json(r).get("error").asText()).isEqualTo("unsupported_media_type");
          assertThat(r.headers().allValues("Set-Cookie")).as(route + " clears nothing").isEmpty();
        }
      }
      assertThat(server.store().sessions().find(sid(login)).orElseThrow().revokedAt()).isNull();
      // The family lives on: the login's refresh token still renews the same session.
      HttpResponse<String> renewed =
          post(
              server.baseUrl() + "/api/refresh",
              "application/json",
              null,
              "Cookie",
              REFRESH + "=" + value(login, REFRESH));
      assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
      assertThat(sid(renewed)).isEqualTo(sid(login));
    }
  }

  @Test
  void aJsonOrCustomHeaderPostWithoutBodyIsAccepted() throws Exception {
    try (AuthServer server = start()) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      String xsrf = value(login, "XSRF-TOKEN");

      // /api/refresh with only the XSRF header (no content type, no body), then with JSON.
      HttpResponse<String> byHeader =
          post(
              server.baseUrl() + "/api/refresh",
              null,
              null,
              "Cookie",
              REFRESH + "=" + value(login, REFRESH),
              "X-XSRF-TOKEN",
              xsrf);
      assertThat(byHeader.statusCode()).as(byHeader.body()).isEqualTo(200);
      HttpResponse<String> byJson =
          post(
              server.baseUrl() + "/api/refresh",
              "application/json; charset=utf-8",
              "",
              "Cookie",
              REFRESH + "=" + value(byHeader, REFRESH));
      assertThat(byJson.statusCode()).as(byJson.body()).isEqualTo(200);

      // /api/refresh/logout with the refresh cookie and an empty JSON POST ends the family.
      HttpResponse<String> out =
          post(
              server.baseUrl() + "/api/refresh/logout",
              "application/json",
              null,
              "Cookie",
              REFRESH + "=" + value(byJson, REFRESH));
      assertThat(out.statusCode()).isEqualTo(204);
      assertThat(SetCookie.named(out, REFRESH).orElseThrow().attr("Max-Age")).isEqualTo("0");
      assertThat(server.store().sessions().find(sid(login)).orElseThrow().revokeReason())
          .isEqualTo("logout");
    }
  }

  @Test
  void aLogoutThatProvesNothingClearsNothing() throws Exception {
    try (AuthServer server = start()) {
      HttpResponse<String> login = login(server, EMAIL, PASSWORD);
      String cookies = cookieHeader(login);

      // Session cookie without its XSRF header; a refresh cookie off its path; nothing at all.
      for (String[] request :
          new String[][] {
            {"/api/logout", cookies}, {"/api/logout", REFRESH + "=" + value(login, REFRESH)},
            {"/api/logout", ""}, {"/api/refresh/logout", ""},
          }) {
        HttpResponse<String> r =
            request[1].isEmpty()
                ? post(server.baseUrl() + request[0], "application/json", "{}")
                : post(
                    server.baseUrl() + request[0], "application/json", "{}", "Cookie", request[1]);
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().allValues("Set-Cookie")).as(String.join(" ", request)).isEmpty();
      }
      assertThat(server.store().sessions().find(sid(login)).orElseThrow().revokedAt()).isNull();
      assertThat(get(server.baseUrl() + "/api/session", "Cookie", cookies).statusCode())
          .isEqualTo(200);

      // With the XSRF header it proves itself: revoked, and every session cookie cleared.
      HttpResponse<String> out =
          post(
              server.baseUrl() + "/api/logout",
              "application/json",
              "{}",
              "Cookie",
              cookies,
              "X-XSRF-TOKEN",
              value(login, "XSRF-TOKEN"));
      assertThat(out.statusCode()).isEqualTo(204);
      assertThat(SetCookie.all(out))
          .extracting(SetCookie::name)
          .contains("__Host-latchkey", "XSRF-TOKEN", REFRESH);
      assertThat(server.store().sessions().find(sid(login)).orElseThrow().revokeReason())
          .isEqualTo("logout");
    }
  }
}
