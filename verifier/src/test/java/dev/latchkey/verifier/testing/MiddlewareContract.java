package dev.latchkey.verifier.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.latchkey.testing.MutableClock;
import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.wire.Xsrf;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour both adapters share, through a real server on a loopback port. Subclasses start a
 * server with: GET /api/lessons (bearer, required), GET /api/maybe (bearer, optional), GET+POST
 * /cookie/lessons (cookie "__Host-latchkey", required), GET+POST /either (bearer or cookie,
 * required), GET /admin (bearer, role "admin" or "owner"), GET /mfa (bearer, a second factor in the
 * amr claim), GET /public (no filter). Protected handlers answer {"sub": ...}; optional ones
 * {"anonymous": true} without a token.
 */
public abstract class MiddlewareContract {
  protected static final String COOKIE = "__Host-latchkey";
  protected final MutableClock clock = MutableClock.standard();
  protected final RSAKey key = Keys.rsa("k1");
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  protected JwtVerifier verifier;
  private URI base;

  /** Starts the server; returns its base URI (http://127.0.0.1:port). */
  protected abstract URI start(JwtVerifier verifier) throws Exception;

  protected abstract void stop() throws Exception;

  @BeforeEach
  void startServer() throws Exception {
    verifier =
        JwtVerifier.withJwkSet(new JWKSet(key.toPublicJWK()))
            .issuer(Tokens.ISSUER)
            .audience(Tokens.AUDIENCE)
            .clock(clock)
            .build();
    base = start(verifier);
  }

  @AfterEach
  void stopServer() throws Exception {
    stop();
    verifier.close();
  }

  protected HttpResponse<String> send(String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(5))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  protected static Map<String, Object> json(HttpResponse<String> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    return JSONObjectUtils.parse(r.body());
  }

  private String valid() {
    return Tokens.rs256(key, clock);
  }

  @Test
  void noTokenGives401WithoutErrorAttribute() throws Exception {
    HttpResponse<String> r = send("GET", "/api/lessons");

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().allValues("WWW-Authenticate"))
        .containsExactly("Bearer realm=\"latchkey\"");
    assertThat(json(r)).containsEntry("error", "missing_token");
  }

  @Test
  void validBearerTokenReachesTheHandlerWithItsClaims() throws Exception {
    HttpResponse<String> r = send("GET", "/api/lessons", "Authorization", "Bearer " + valid());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r)).containsEntry("sub", "user-42");
    assertThat(send("GET", "/api/lessons", "Authorization", "bearer " + valid()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void eachRejectionGives401WithRfc6750HeaderAndJsonBody() throws Exception {
    Map<String, String> cases =
        Map.of(
            "malformed", "not-a-jwt",
            "expired",
                Tokens.rs256(
                    key,
                    clock,
                    c -> c.expirationTime(Date.from(clock.instant().minus(Duration.ofHours(1))))),
            "wrong_audience", Tokens.rs256(key, clock, c -> c.audience("other")),
            "unknown_key", Tokens.rs256(Keys.rsa("attacker"), clock),
            "bad_signature", valid().substring(0, valid().lastIndexOf('.') + 1) + "AAAA");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> r =
          send("GET", "/api/lessons", "Authorization", "Bearer " + c.getValue());

      assertThat(r.statusCode()).as(c.getKey()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
          .as(c.getKey())
          .startsWith("Bearer realm=\"latchkey\", error=\"invalid_token\", error_description=\"");
      Map<String, Object> body = json(r);
      assertThat(body).as(c.getKey()).containsEntry("error", c.getKey()).containsKey("message");
      assertThat(r.body()).doesNotContain(c.getValue());
    }
  }

  @Test
  void otherSchemesAndEmptyBearerAreHandled() throws Exception {
    HttpResponse<String> basic = send("GET", "/api/lessons", "Authorization", "Basic dXNlcjpwdw==");
    HttpResponse<String> empty = send("GET", "/api/lessons", "Authorization", "Bearer ");

    assertThat(basic.statusCode()).isEqualTo(401);
    assertThat(basic.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"latchkey\"");
    assertThat(empty.statusCode()).isEqualTo(401);
  }

  @Test
  void hugeTokensNeverGive5xx() throws Exception {
    for (int size : new int[] {8 * 1024 + 1, 64 * 1024, 1024 * 1024}) {
      HttpResponse<String> r;
      try {
        r = send("GET", "/api/lessons", "Authorization", "Bearer " + "a".repeat(size));
      } catch (java.io.IOException closedByServer) {
        continue; // the container dropped the oversized request: no 5xx, no hang
      }
      assertThat(r.statusCode()).as("size %d", size).isBetween(400, 499);
    }
  }

  @Test
  void optionalLetsAnonymousThroughButNotInvalidTokens() throws Exception {
    HttpResponse<String> anon = send("GET", "/api/maybe");
    HttpResponse<String> withToken =
        send("GET", "/api/maybe", "Authorization", "Bearer " + valid());
    HttpResponse<String> invalid = send("GET", "/api/maybe", "Authorization", "Bearer x.y.z");

    assertThat(anon.statusCode()).isEqualTo(200);
    assertThat(json(anon)).containsEntry("anonymous", true);
    assertThat(json(withToken)).containsEntry("sub", "user-42");
    assertThat(invalid.statusCode()).isEqualTo(401);
  }

  @Test
  void roleRequirementAnswers403InsufficientScopeWithoutTheRole() throws Exception {
    String student = Tokens.rs256(key, clock, c -> c.claim("roles", java.util.List.of("student")));
    String noRoles = valid();
    String notAnArray = Tokens.rs256(key, clock, c -> c.claim("roles", "admin"));
    for (String token : new String[] {student, noRoles, notAnArray}) {
      HttpResponse<String> r = send("GET", "/admin", "Authorization", "Bearer " + token);

      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.headers().firstValue("WWW-Authenticate"))
          .hasValue(
              "Bearer realm=\"latchkey\", error=\"insufficient_scope\","
                  + " error_description=\"The token lacks a required role\"");
      assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(json(r)).containsEntry("error", "insufficient_scope");
    }
  }

  @Test
  void roleRequirementLetsAnyListedRoleThroughAndStillNeedsAValidToken() throws Exception {
    String admin =
        Tokens.rs256(key, clock, c -> c.claim("roles", java.util.List.of("student", "admin")));
    String owner = Tokens.rs256(key, clock, c -> c.claim("roles", java.util.List.of("owner")));

    HttpResponse<String> ok = send("GET", "/admin", "Authorization", "Bearer " + admin);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok)).containsEntry("sub", "user-42");
    assertThat(send("GET", "/admin", "Authorization", "Bearer " + owner).statusCode())
        .isEqualTo(200);
    assertThat(send("GET", "/admin").statusCode()).isEqualTo(401);
    assertThat(send("GET", "/admin", "Authorization", "Bearer x.y.z").statusCode()).isEqualTo(401);
  }

  @Test
  void secondFactorRequirementAnswers403InsufficientUserAuthenticationWithoutMfaInAmr()
      throws Exception {
    String password = Tokens.rs256(key, clock, c -> c.claim("amr", java.util.List.of("pwd")));
    String none = valid();
    String notAnArray = Tokens.rs256(key, clock, c -> c.claim("amr", "mfa"));
    for (String token : new String[] {password, none, notAnArray}) {
      HttpResponse<String> r = send("GET", "/mfa", "Authorization", "Bearer " + token);

      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.headers().firstValue("WWW-Authenticate"))
          .hasValue(
              "Bearer realm=\"latchkey\", error=\"insufficient_user_authentication\","
                  + " error_description=\"A second factor is required: sign in again with one\"");
      assertThat(json(r)).containsEntry("error", "insufficient_user_authentication");
    }
    String mfa =
        Tokens.rs256(key, clock, c -> c.claim("amr", java.util.List.of("pwd", "otp", "mfa")));
    HttpResponse<String> ok = send("GET", "/mfa", "Authorization", "Bearer " + mfa);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok)).containsEntry("sub", "user-42");
    assertThat(send("GET", "/mfa").statusCode()).isEqualTo(401);
  }

  @Test
  void unprotectedRoutesNeedNoToken() throws Exception {
    assertThat(send("GET", "/public").statusCode()).isEqualTo(200);
  }

  /** A session token bound to the XSRF value {@code xsrf}, as the auth server signs one. */
  private String boundTo(String xsrf) {
    return Tokens.rs256(key, clock, c -> c.claim(Xsrf.CLAIM, Xsrf.binding(xsrf)));
  }

  @Test
  void cookieModeChecksXsrfOnUnsafeMethods() throws Exception {
    String cookie = COOKIE + "=" + boundTo("abc123") + "; XSRF-TOKEN=abc123";

    assertThat(send("GET", "/cookie/lessons", "Cookie", cookie).statusCode()).isEqualTo(200);
    HttpResponse<String> noHeader = send("POST", "/cookie/lessons", "Cookie", cookie);
    assertThat(noHeader.statusCode()).isEqualTo(403);
    assertThat(json(noHeader)).containsEntry("error", "xsrf_mismatch");
    for (String method : new String[] {"PUT", "PATCH", "DELETE"}) {
      assertThat(send(method, "/cookie/lessons", "Cookie", cookie).statusCode())
          .as(method)
          .isEqualTo(403);
    }
    assertThat(
            send("POST", "/cookie/lessons", "Cookie", cookie, "X-XSRF-TOKEN", "other").statusCode())
        .isEqualTo(403);
    assertThat(
            send("POST", "/cookie/lessons", "Cookie", COOKIE + "=" + valid(), "X-XSRF-TOKEN", "")
                .statusCode())
        .isEqualTo(403);
    HttpResponse<String> ok =
        send("POST", "/cookie/lessons", "Cookie", cookie, "X-XSRF-TOKEN", "abc123");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok)).containsEntry("sub", "user-42");
  }

  @Test
  void aTossedXsrfCookieWithAMatchingHeaderIsRefused() throws Exception {
    String session = COOKIE + "=" + boundTo("the-sessions-value");

    HttpResponse<String> tossed =
        send(
            "POST",
            "/cookie/lessons",
            "Cookie",
            session + "; XSRF-TOKEN=chosen-by-attacker",
            "X-XSRF-TOKEN",
            "chosen-by-attacker");
    HttpResponse<String> unbound =
        send(
            "POST",
            "/cookie/lessons",
            "Cookie",
            COOKIE + "=" + valid() + "; XSRF-TOKEN=any",
            "X-XSRF-TOKEN",
            "any");
    HttpResponse<String> right =
        send(
            "POST",
            "/cookie/lessons",
            "Cookie",
            session + "; XSRF-TOKEN=the-sessions-value",
            "X-XSRF-TOKEN",
            "the-sessions-value");

    assertThat(tossed.statusCode()).isEqualTo(403);
    assertThat(json(tossed)).containsEntry("error", "xsrf_mismatch");
    assertThat(unbound.statusCode()).as("a token without the xsrf claim").isEqualTo(403);
    assertThat(json(unbound)).containsEntry("error", "xsrf_mismatch");
    assertThat(right.statusCode()).isEqualTo(200);
    assertThat(
            send("POST", "/either", "Cookie", session + "; XSRF-TOKEN=x", "X-XSRF-TOKEN", "x")
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  void cookieModeIgnoresTheAuthorizationHeaderAndNeedsTheCookie() throws Exception {
    HttpResponse<String> r = send("GET", "/cookie/lessons", "Authorization", "Bearer " + valid());

    assertThat(r.statusCode()).isEqualTo(401);
    HttpResponse<String> bad = send("GET", "/cookie/lessons", "Cookie", COOKIE + "=garbage");
    assertThat(json(bad)).containsEntry("error", "malformed");
  }

  @Test
  void bearerOrCookieAcceptsEitherAndSkipsXsrfForTheHeader() throws Exception {
    assertThat(send("POST", "/either", "Authorization", "Bearer " + valid()).statusCode())
        .isEqualTo(200);
    assertThat(send("POST", "/either", "Cookie", COOKIE + "=" + valid()).statusCode())
        .isEqualTo(403);
    assertThat(send("GET", "/either", "Cookie", COOKIE + "=" + valid()).statusCode())
        .isEqualTo(200);
  }
}
