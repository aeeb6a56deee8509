package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.json;
import static dev.latchkey.server.TestHttp.login;
import static dev.latchkey.server.TestHttp.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.delivery.DeliverySettings;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.verifier.wire.Xsrf;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Issue 5: the delivery modes of POST /api/login, cookie attributes from raw Set-Cookie headers.
 */
class DeliveryTest {
  static final String EMAIL = "ada@example.com";
  static final String PASSWORD = "correct horse battery staple";

  @TempDir Path tempDir;
  private final List<AuthServerConfig> dropLater = new ArrayList<>();

  @AfterEach
  void dropSchemas() {
    dropLater.forEach(TestDatabase::dropSchema);
  }

  private AuthServer start(TestDatabase db, UnaryOperator<AuthServerConfig> custom) {
    AuthServerConfig config = custom.apply(db.freshConfig(tempDir));
    dropLater.add(config);
    AuthServer server = AuthServer.start(config);
    server.store().users().add(EMAIL, PASSWORD.toCharArray());
    return server;
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void bodyModeIsTheDefaultAndSetsNoSessionCookie(TestDatabase db) throws Exception {
    try (AuthServer server = start(db, c -> c)) {
      HttpResponse<String> r = login(server, EMAIL, PASSWORD);

      assertThat(r.statusCode()).isEqualTo(200);
      // Only the device cookie, which names the browser, not the session.
      assertThat(r.headers().allValues("Set-Cookie"))
          .singleElement()
          .asString()
          .startsWith("__Host-latchkey-device=");
      JsonNode body = json(r);
      assertThat(body.get("expiresIn").asLong()).isEqualTo(7200);
      verify(server, body.get("idToken").asText(), "latchkey-demo");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void cookieModeSetsAHostOnlySessionCookieAndAnXsrfCookie(TestDatabase db) throws Exception {
    try (AuthServer server =
        start(db, c -> c.withDelivery(c.delivery().withMode(DeliveryMode.COOKIE)))) {
      HttpResponse<String> r = login(server, EMAIL, PASSWORD);

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
      assertThat(r.body()).isEqualTo("{\"expiresIn\":7200}");
      assertThat(r.headers().allValues("Set-Cookie")).hasSize(3); // + the device cookie

      SetCookie session = SetCookie.named(r, "__Host-latchkey").orElseThrow();
      assertThat(session.has("HttpOnly")).isTrue();
      assertThat(session.has("Secure")).isTrue();
      assertThat(session.attr("SameSite")).isEqualTo("Lax");
      assertThat(session.attr("Path")).isEqualTo("/");
      assertThat(session.attr("Max-Age")).isEqualTo("7200");
      assertThat(session.has("Domain")).isFalse();
      verify(server, session.value(), "latchkey-demo");

      SetCookie xsrf = SetCookie.named(r, "XSRF-TOKEN").orElseThrow();
      assertThat(xsrf.has("HttpOnly")).isFalse();
      assertThat(xsrf.has("Secure")).isTrue();
      assertThat(xsrf.attr("SameSite")).isEqualTo("Lax");
      assertThat(xsrf.attr("Path")).isEqualTo("/");
      assertThat(xsrf.has("Domain")).isFalse();
      assertThat(Base64.getUrlDecoder().decode(xsrf.value()).length).isGreaterThanOrEqualTo(16);
      assertThat(SignedJWT.parse(session.value()).getJWTClaimsSet().getClaim(Xsrf.CLAIM))
          .as("the token binds the session's XSRF value")
          .isEqualTo(Xsrf.binding(xsrf.value()));

      String another = SetCookie.named(login(server, EMAIL, PASSWORD), "XSRF-TOKEN").get().value();
      assertThat(another).isNotEqualTo(xsrf.value());
    }
  }

  @Test
  void bothModeSetsTheCookiesAndReturnsTheTokenInTheBody() {
    try (AuthServer server =
        start(TestDatabase.H2, c -> c.withDelivery(c.delivery().withMode(DeliveryMode.BOTH)))) {
      HttpResponse<String> r = login(server, EMAIL, PASSWORD);

      JsonNode body = json(r);
      assertThat(body.get("expiresIn").asLong()).isEqualTo(7200);
      assertThat(SetCookie.named(r, "__Host-latchkey").orElseThrow().value())
          .isEqualTo(body.get("idToken").asText());
      assertThat(SetCookie.named(r, "XSRF-TOKEN")).isPresent();
    }
  }

  @Test
  void failedLoginSetsNoCookie() {
    try (AuthServer server =
        start(TestDatabase.H2, c -> c.withDelivery(c.delivery().withMode(DeliveryMode.COOKIE)))) {
      HttpResponse<String> r = login(server, EMAIL, "not the password");

      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
    }
  }

  @Test
  void aCookieDomainDropsTheHostPrefixAndIsSetOnBothCookies() {
    try (AuthServer server =
        start(
            TestDatabase.H2,
            c ->
                c.withDelivery(
                    c.delivery().withMode(DeliveryMode.COOKIE).withCookieDomain(".Example.com")))) {
      HttpResponse<String> r = login(server, EMAIL, PASSWORD);

      SetCookie session = SetCookie.named(r, "latchkey").orElseThrow();
      assertThat(session.attr("Domain")).isEqualTo("example.com");
      assertThat(session.has("Secure")).isTrue();
      assertThat(session.has("HttpOnly")).isTrue();
      assertThat(SetCookie.named(r, "XSRF-TOKEN").orElseThrow().attr("Domain"))
          .isEqualTo("example.com");
    }
  }

  @Test
  void customCookieNameAndSessionLength() {
    try (AuthServer server =
        start(
            TestDatabase.H2,
            c ->
                c.withDelivery(
                        c.delivery().withMode(DeliveryMode.COOKIE).withCookieName("__Host-app"))
                    .withSessions(
                        c.sessions().withSessionLength(java.time.Duration.ofMinutes(15))))) {
      HttpResponse<String> r = login(server, EMAIL, PASSWORD);

      assertThat(SetCookie.named(r, "__Host-app").orElseThrow().attr("Max-Age")).isEqualTo("900");
      assertThat(SetCookie.named(r, "XSRF-TOKEN").orElseThrow().attr("Max-Age")).isEqualTo("900");
    }
  }

  @Test
  void insecureCookiesDropSecureAndWarnAtStart() {
    Logger logger = (Logger) LoggerFactory.getLogger(BrowserCookies.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try (AuthServer server =
        start(
            TestDatabase.H2,
            c ->
                c.withDelivery(
                    c.delivery().withMode(DeliveryMode.COOKIE).withInsecureCookies(true)))) {
      HttpResponse<String> r = login(server, EMAIL, PASSWORD);

      SetCookie session = SetCookie.named(r, "latchkey").orElseThrow();
      assertThat(session.has("Secure")).isFalse();
      assertThat(session.has("HttpOnly")).isTrue();
      assertThat(SetCookie.named(r, "XSRF-TOKEN").orElseThrow().has("Secure")).isFalse();
      assertThat(appender.list)
          .anySatisfy(
              e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).contains("Insecure cookies");
              });
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void invalidDeliverySettingsAreRefused() {
    DeliverySettings c = DeliverySettings.defaults();
    assertThat(DeliveryMode.parse("Cookie")).isEqualTo(DeliveryMode.COOKIE);
    assertThatThrownBy(() -> DeliveryMode.parse("header"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.withCookieDomain("example.com").withCookieName("__Host-x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.withInsecureCookies(true).withCookieName("__Secure-x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.withCookieName("a b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.withCookieName("XSRF-TOKEN"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.withCookieDomain("evil.com; Secure"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(c.effectiveCookieName()).isEqualTo("__Host-latchkey");
    assertThat(c.withInsecureCookies(true).effectiveCookieName()).isEqualTo("latchkey");
    assertThat(c.withMode(DeliveryMode.BOTH).toString()).contains("delivery=both");
  }
}
