package dev.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.latchkey.server.tokens.IssuedToken;
import dev.latchkey.spring.testing.AppClient;
import dev.latchkey.spring.testing.AuthServerFixture;
import dev.latchkey.verifier.JwtVerifier;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter in a real Spring Boot application on a random port, in front of a real auth server on
 * a loopback port: every answer through HTTP.
 */
@SpringBootTest(
    classes = StarterTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "latchkey.delivery=both")
class LatchkeyStarterTest {
  private static final String COOKIE = "__Host-latchkey";
  private static AuthServerFixture auth;

  @LocalServerPort int port;
  @Autowired JwtVerifier verifier;

  @DynamicPropertySource
  static void latchkey(DynamicPropertyRegistry registry) {
    auth = AuthServerFixture.start();
    registry.add("latchkey.issuer-uri", auth::issuer);
  }

  @AfterAll
  static void stop() {
    auth.close();
  }

  private HttpResponse<String> send(String method, String path, String... headers)
      throws Exception {
    return new AppClient(port).send(method, path, headers);
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return send("GET", path, "Authorization", "Bearer " + token);
  }

  private static Map<String, Object> json(HttpResponse<String> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    return JSONObjectUtils.parse(r.body());
  }

  private static void assertRefused(HttpResponse<String> r, int status, String error)
      throws Exception {
    assertThat(r.statusCode()).as(error).isEqualTo(status);
    assertThat(json(r)).as(error).containsEntry("error", error).containsKey("message");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
  }

  @Test
  void openRouteNeedsNoTokenAndAMissingTokenGets401WithoutErrorAttribute() throws Exception {
    assertThat(send("GET", "/api/status").statusCode()).isEqualTo(200);

    HttpResponse<String> r = send("GET", "/api/lessons");
    assertRefused(r, 401, "missing_token");
    assertThat(r.headers().allValues("WWW-Authenticate"))
        .containsExactly("Bearer realm=\"latchkey\"");
    assertThat(send("GET", "/api/lessons", "Authorization", "Basic dXNlcjpwdw==").statusCode())
        .isEqualTo(401);
  }

  @Test
  void anIssuedTokenReachesTheControllerAsTheJwtPrincipal() throws Exception {
    IssuedToken t = auth.issue(AuthServerFixture.STUDENT);

    HttpResponse<String> r = get("/api/lessons", t.token());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("sub")).isNotNull();
  }

  @Test
  void forgedExpiredAndMalformedTokensGet401WithTheReason() throws Exception {
    Map<String, String> cases =
        Map.of(
            "bad_signature", auth.forged(),
            "expired", auth.expired(),
            "malformed", "not-a-jwt");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> r = get("/api/lessons", c.getValue());

      assertRefused(r, 401, c.getKey());
      assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
          .startsWith("Bearer realm=\"latchkey\", error=\"invalid_token\", error_description=\"");
    }
    assertRefused(send("GET", "/api/lessons", "Authorization", "Bearer"), 401, "malformed");
  }

  @Test
  void aRevokedSessionIsRefusedOnceTheFeedListsIt() throws Exception {
    IssuedToken t = auth.issue(AuthServerFixture.STUDENT);
    assertThat(get("/api/lessons", t.token()).statusCode()).isEqualTo(200);

    auth.revoke(t);
    assertThat(verifier.refreshRevocations()).isTrue();

    assertRefused(get("/api/lessons", t.token()), 401, "revoked");
  }

  @Test
  void aTokenWithoutTheRoleGets403InsufficientScopeByRuleAndByAnnotation() throws Exception {
    String student = auth.issue(AuthServerFixture.STUDENT).token();
    String admin = auth.issue(AuthServerFixture.ADMIN).token();
    String other = auth.issue(AuthServerFixture.TEACHER).token();
    for (String path : new String[] {"/api/admin/progress", "/api/rules/admin"}) {
      for (String token : new String[] {student, other}) {
        HttpResponse<String> r = get(path, token);

        assertRefused(r, 403, "insufficient_scope");
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
            .as(path)
            .startsWith("Bearer realm=\"latchkey\", error=\"insufficient_scope\"");
      }
      assertThat(get(path, admin).statusCode()).as(path).isEqualTo(200);
      assertRefused(send("GET", path), 401, "missing_token");
    }
  }

  @Test
  void cookieDeliveryNeedsTheSessionsXsrfHeaderOnUnsafeMethodsOnly() throws Exception {
    IssuedToken issued = auth.issue(AuthServerFixture.STUDENT);
    String token = issued.token();
    String cookies = COOKIE + "=" + token + "; XSRF-TOKEN=" + issued.xsrf();
    String path = "/api/lessons/jwt-101/complete";

    assertThat(send("GET", "/api/lessons", "Cookie", cookies).statusCode()).isEqualTo(200);
    assertRefused(send("POST", path, "Cookie", cookies), 403, "xsrf_mismatch");
    assertRefused(
        send("POST", path, "Cookie", cookies, "X-XSRF-TOKEN", "other"), 403, "xsrf_mismatch");
    HttpResponse<String> ok = send("POST", path, "Cookie", cookies, "X-XSRF-TOKEN", issued.xsrf());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok)).containsEntry("completed", "jwt-101");
    // The Authorization header is not sent by a cross-site page: no XSRF check for it.
    assertThat(send("POST", path, "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
    assertRefused(send("GET", "/api/lessons", "Cookie", COOKIE + "=garbage"), 401, "malformed");
    assertRefused(
        send("POST", path, "Cookie", COOKIE + "=garbage; XSRF-TOKEN=x", "X-XSRF-TOKEN", "x"),
        401,
        "malformed");
  }

  @Test
  void aTossedXsrfCookieWithAMatchingHeaderIsRefused() throws Exception {
    IssuedToken issued = auth.issue(AuthServerFixture.STUDENT);
    IssuedToken other = auth.issue(AuthServerFixture.STUDENT);
    String path = "/api/lessons/jwt-101/complete";
    String session = COOKIE + "=" + issued.token();

    for (String tossed : new String[] {"chosen-by-attacker", other.xsrf()}) {
      assertRefused(
          send("POST", path, "Cookie", session + "; XSRF-TOKEN=" + tossed, "X-XSRF-TOKEN", tossed),
          403,
          "xsrf_mismatch");
    }
    assertThat(
            send(
                    "POST",
                    path,
                    "Cookie",
                    session + "; XSRF-TOKEN=" + issued.xsrf(),
                    "X-XSRF-TOKEN",
                    issued.xsrf())
                .statusCode())
        .isEqualTo(200);
  }
}
