package dev.latchkey.server;

import static dev.latchkey.server.TestHttp.get;
import static dev.latchkey.server.TestHttp.idToken;
import static dev.latchkey.server.TestHttp.json;
import static dev.latchkey.server.TestHttp.login;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.keys.ActiveKey;
import dev.latchkey.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 5: GET /api/session with a cookie, a bearer token, nothing, expired and forged tokens. */
class SessionEndpointTest {
  static final String EMAIL = DeliveryTest.EMAIL;
  static final String PASSWORD = DeliveryTest.PASSWORD;
  static final String APP = "http://localhost:8080";

  @TempDir Path tempDir;
  private final List<AuthServerConfig> dropLater = new ArrayList<>();

  @AfterEach
  void dropSchemas() {
    dropLater.forEach(TestDatabase::dropSchema);
  }

  private AuthServer start(TestDatabase db, UnaryOperator<AuthServerConfig> custom) {
    AuthServerConfig config = TestDatabase.quiet(db.freshConfig(tempDir));
    config = custom.apply(config.withHttp(config.http().withCorsOrigins(List.of(APP))));
    dropLater.add(config);
    AuthServer server = AuthServer.start(config);
    server.store().users().add(EMAIL, PASSWORD.toCharArray());
    return server;
  }

  private static String sessionUrl(AuthServer server) {
    return server.baseUrl() + "/api/session";
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void cookieModeSessionByCookieHasNoTokenInTheBody(TestDatabase db) {
    try (AuthServer server =
        start(db, c -> c.withDelivery(c.delivery().withMode(DeliveryMode.COOKIE)))) {
      SetCookie cookie =
          SetCookie.named(login(server, EMAIL, PASSWORD), "__Host-latchkey").orElseThrow();

      HttpResponse<String> r =
          get(sessionUrl(server), "Cookie", "__Host-latchkey=" + cookie.value());

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
      JsonNode body = json(r);
      assertThat(body.has("idToken")).isFalse();
      assertThat(body.get("expiresIn").asLong()).isBetween(7190L, 7200L);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void bodyModeSessionByBearerOrCookieReturnsTheToken(TestDatabase db) {
    try (AuthServer server = start(db, c -> c)) {
      String token = idToken(login(server, EMAIL, PASSWORD));

      JsonNode byBearer = json(get(sessionUrl(server), "Authorization", "Bearer " + token));
      assertThat(byBearer.get("expiresIn").asLong()).isBetween(7190L, 7200L);
      assertThat(byBearer.get("idToken").asText()).isEqualTo(token);

      // What the SPA does after the hosted login page set the cookie in body mode.
      HttpResponse<String> byCookie = get(sessionUrl(server), "Cookie", "__Host-latchkey=" + token);
      assertThat(byCookie.statusCode()).isEqualTo(200);
      assertThat(json(byCookie).get("idToken").asText()).isEqualTo(token);
    }
  }

  @Test
  void bothModeReturnsTheTokenFromTheCookie() {
    try (AuthServer server =
        start(TestDatabase.H2, c -> c.withDelivery(c.delivery().withMode(DeliveryMode.BOTH)))) {
      String token = idToken(login(server, EMAIL, PASSWORD));

      HttpResponse<String> r = get(sessionUrl(server), "Cookie", "__Host-latchkey=" + token);

      assertThat(json(r).get("idToken").asText()).isEqualTo(token);
    }
  }

  @Test
  void noCredentialsIs401WithAChallenge() {
    try (AuthServer server =
        start(TestDatabase.H2, c -> c.withDelivery(c.delivery().withMode(DeliveryMode.COOKIE)))) {
      HttpResponse<String> r = get(sessionUrl(server));

      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"latchkey\"");
      assertThat(r.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/json");
      assertThat(json(r).get("error").asText()).isEqualTo("unauthorized");
      assertThat(json(r).get("message").asText()).isNotBlank();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void expiresInCountsDownAndAnExpiredTokenIs401(TestDatabase db) {
    MutableClock clock = MutableClock.startingNow();
    try (AuthServer server = start(db, c -> c.withClock(clock))) {
      String token = idToken(login(server, EMAIL, PASSWORD));

      clock.advance(Duration.ofHours(1));
      assertThat(
              json(get(sessionUrl(server), "Authorization", "Bearer " + token))
                  .get("expiresIn")
                  .asLong())
          .isEqualTo(3600);

      clock.advance(
          Duration.ofHours(1).plus(server.store().config().keys().clockSkew()).plusSeconds(1));
      HttpResponse<String> r = get(sessionUrl(server), "Authorization", "Bearer " + token);
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(json(r).get("error").asText()).isEqualTo("invalid_token");
      assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
          .contains("error=\"invalid_token\"");
    }
  }

  @Test
  void forgedAndForeignTokensAre401() throws Exception {
    try (AuthServer server = start(TestDatabase.H2, c -> c)) {
      String good = idToken(login(server, EMAIL, PASSWORD));
      SignedJWT parsed = SignedJWT.parse(good);
      String kid = parsed.getHeader().getKeyID();
      ActiveKey key = server.store().keys().active();
      JWTClaimsSet claims = parsed.getJWTClaimsSet();

      // Signed by another key that claims the server's kid.
      RSAKey attacker = new RSAKeyGenerator(2048).keyID(kid).generate();
      String otherKey = sign(new RSASSASigner(attacker), header(kid, "at+jwt"), claims);
      // The server's own key, but the wrong audience, issuer or type.
      String wrongAud =
          sign(
              key.signer(),
              header(kid, "at+jwt"),
              new JWTClaimsSet.Builder(claims).audience("other").build());
      String wrongIss =
          sign(
              key.signer(),
              header(kid, "at+jwt"),
              new JWTClaimsSet.Builder(claims).issuer("https://evil").build());
      String wrongTyp = sign(key.signer(), header(kid, "JWT"), claims);
      String noSid =
          sign(
              key.signer(),
              header(kid, "at+jwt"),
              new JWTClaimsSet.Builder(claims).claim("sid", null).build());
      // Tampered payload, alg none, garbage.
      String[] parts = good.split("\\.");
      String tampered =
          parts[0]
              + "."
              + com.nimbusds.jose.util.Base64URL.encode(
                  new JWTClaimsSet.Builder(claims)
                      .subject(UUID.randomUUID().toString())
                      .build()
                      .toString())
              + "."
              + parts[2];
      String none = new com.nimbusds.jwt.PlainJWT(claims).serialize();

      for (String bad :
          List.of(
              otherKey, wrongAud, wrongIss, wrongTyp, noSid, tampered, none, "garbage", "a.b.c")) {
        HttpResponse<String> byBearer = get(sessionUrl(server), "Authorization", "Bearer " + bad);
        assertThat(byBearer.statusCode()).as(bad).isEqualTo(401);
        assertThat(json(byBearer).get("error").asText()).isEqualTo("invalid_token");
        HttpResponse<String> byCookie = get(sessionUrl(server), "Cookie", "__Host-latchkey=" + bad);
        assertThat(byCookie.statusCode()).as(bad).isEqualTo(401);
      }
      assertThat(get(sessionUrl(server), "Authorization", "Basic Zm9vOmJhcg==").statusCode())
          .isEqualTo(401);
      // A bad bearer header wins over a good cookie: no silent fallback.
      assertThat(
              get(
                      sessionUrl(server),
                      "Authorization",
                      "Bearer " + wrongAud,
                      "Cookie",
                      "__Host-latchkey=" + good)
                  .statusCode())
          .isEqualTo(401);

      // A revoked key stops verifying at once.
      assertThat(get(sessionUrl(server), "Authorization", "Bearer " + good).statusCode())
          .isEqualTo(200);
      server.store().keys().revoke(kid);
      assertThat(get(sessionUrl(server), "Authorization", "Bearer " + good).statusCode())
          .isEqualTo(401);
    }
  }

  @Test
  void corsForTheSessionEndpointAndPreflightsOfSessionAndLogout() {
    try (AuthServer server =
        start(TestDatabase.H2, c -> c.withDelivery(c.delivery().withMode(DeliveryMode.COOKIE)))) {
      HttpResponse<String> r = get(sessionUrl(server), "Origin", APP);
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains(APP);
      assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
      assertThat(r.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
          .contains("Retry-After");

      for (String path : List.of("/api/session", "/api/logout", "/api/login")) {
        HttpResponse<String> p = preflight(server.baseUrl() + path, APP);
        assertThat(p.statusCode()).as(path).isEqualTo(204);
        assertThat(p.headers().firstValue("Access-Control-Allow-Origin")).contains(APP);
        assertThat(p.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
        assertThat(p.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
            .contains("content-type", "authorization", "x-xsrf-token");
        assertThat(p.headers().firstValue("Access-Control-Allow-Methods").orElseThrow())
            .contains("GET", "POST");

        HttpResponse<String> evil = preflight(server.baseUrl() + path, "https://evil.example");
        assertThat(evil.statusCode()).isEqualTo(403);
        assertThat(evil.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
      }
    }
  }

  private static HttpResponse<String> preflight(String url, String origin) {
    return TestHttp.send(
        HttpRequest.newBuilder(URI.create(url))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "Content-Type, Authorization, X-XSRF-TOKEN")
            .build());
  }

  private static JWSHeader header(String kid, String typ) {
    return new JWSHeader.Builder(JWSAlgorithm.RS256)
        .keyID(kid)
        .type(new JOSEObjectType(typ))
        .build();
  }

  private static String sign(
      com.nimbusds.jose.JWSSigner signer, JWSHeader header, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(signer);
    return jwt.serialize();
  }
}
