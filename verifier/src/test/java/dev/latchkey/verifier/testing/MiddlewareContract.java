package dev.latchkey.verifier.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.latchkey.testing.MutableClock;
import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.dpop.DpopNonces;
import dev.latchkey.verifier.wire.Dpop;
import dev.latchkey.verifier.wire.Xsrf;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour both adapters share, through a real server on a loopback port. Subclasses start a
 * server with: GET /api/lessons (bearer, required), GET /api/maybe (bearer, optional), GET+POST
 * /cookie/lessons (cookie "__Host-latchkey", required), GET+POST /either (bearer or cookie,
 * required), GET /admin (bearer, role "admin" or "owner"), GET /mfa (bearer, a second factor in the
 * amr claim), GET /proxied (bearer, required, public base URL {@link #PUBLIC_BASE}), GET /public
 * (no filter). Protected handlers answer {"sub": ...}; optional ones {"anonymous": true} without a
 * token.
 */
public abstract class MiddlewareContract {
  protected static final String COOKIE = "__Host-latchkey";
  protected static final URI PUBLIC_BASE = URI.create("https://lessons.example.com");
  private static final Duration NONCE_PERIOD = Duration.ofMinutes(5);
  protected final MutableClock clock = MutableClock.standard();
  protected final RSAKey key = Keys.rsa("k1");
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  protected JwtVerifier verifier;
  private URI base;
  private final ECKey client = Proofs.clientKey("alice");

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
      assertThat(body)
          .as(c.getKey())
          .containsEntry("error", c.getKey())
          .containsKey("message")
          .doesNotContainKey("retryAfter");
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
  void aDpopBoundTokenWithoutASecondFactorGets403InADpopChallenge() throws Exception {
    java.util.function.Function<java.util.List<String>, String> bound =
        amr ->
            Tokens.rs256(
                key,
                clock,
                c -> c.claim("amr", amr).claim("cnf", Map.of("jkt", Proofs.thumbprint(client))));
    String password = bound.apply(java.util.List.of("pwd"));
    String mfa = bound.apply(java.util.List.of("hwk", "mfa"));
    URI url = base.resolve("/mfa");

    HttpResponse<String> r =
        send(
            "GET",
            "/mfa",
            "Authorization",
            "DPoP " + password,
            "DPoP",
            Proofs.proof(client, "GET", url, password, clock));
    HttpResponse<String> ok =
        send(
            "GET",
            "/mfa",
            "Authorization",
            "DPoP " + mfa,
            "DPoP",
            Proofs.proof(client, "GET", url, mfa, clock));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith("DPoP ")
        .contains("error=\"insufficient_user_authentication\"")
        .contains("algs=\"");
    assertThat(json(r)).containsEntry("error", "insufficient_user_authentication");
    assertThat(ok.statusCode()).isEqualTo(200);
  }

  @Test
  void aDpopBoundTokenWithoutTheRoleGets403InADpopChallenge() throws Exception {
    java.util.function.Function<java.util.List<String>, String> bound =
        roles ->
            Tokens.rs256(
                key,
                clock,
                c ->
                    c.claim("roles", roles).claim("cnf", Map.of("jkt", Proofs.thumbprint(client))));
    String student = bound.apply(java.util.List.of("student"));
    String admin = bound.apply(java.util.List.of("admin"));
    URI url = base.resolve("/admin");

    HttpResponse<String> r =
        send(
            "GET",
            "/admin",
            "Authorization",
            "DPoP " + student,
            "DPoP",
            Proofs.proof(client, "GET", url, student, clock));
    HttpResponse<String> ok =
        send(
            "GET",
            "/admin",
            "Authorization",
            "DPoP " + admin,
            "DPoP",
            Proofs.proof(client, "GET", url, admin, clock));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().allValues("WWW-Authenticate"))
        .containsExactly(
            "DPoP realm=\"latchkey\", error=\"insufficient_scope\","
                + " error_description=\"The token lacks a required role\","
                + " algs=\"ES256 RS256 PS256\"");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(json(r)).containsEntry("error", "insufficient_scope");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok)).containsEntry("sub", "user-42");
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

  // DPoP (RFC 9449): bound tokens need a proof on every request.

  private URI lessons() {
    return base.resolve("/api/lessons");
  }

  private HttpResponse<String> sendDpop(String token, String proof) throws Exception {
    return proof == null
        ? send("GET", "/api/lessons", "Authorization", "DPoP " + token)
        : send("GET", "/api/lessons", "Authorization", "DPoP " + token, "DPoP", proof);
  }

  @Test
  void aBoundTokenWithItsProofReachesTheHandler() throws Exception {
    String token = Proofs.boundToken(key, clock, client);

    HttpResponse<String> first =
        sendDpop(token, Proofs.proof(client, "GET", lessons(), token, clock));
    HttpResponse<String> again =
        sendDpop(token, Proofs.proof(client, "GET", lessons(), token, clock));

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(json(first)).containsEntry("sub", "user-42");
    assertThat(first.headers().firstValue(Dpop.NONCE_HEADER)).as("nonces are off").isEmpty();
    assertThat(again.statusCode()).as("a fresh proof with the cached token").isEqualTo(200);
  }

  /** Stops the server and starts it again with a verifier requiring server nonces. */
  @Test
  void aTokenThatCannotBeJudgedGets503WithRetryAfterInTheHeaderAndTheBody() throws Exception {
    stop();
    verifier.close();
    AtomicReference<JWKSet> keys = new AtomicReference<>(new JWKSet(key.toPublicJWK()));
    verifier =
        JwtVerifier.withJwkSetSupplier(keys::get)
            .issuer(Tokens.ISSUER)
            .audience(Tokens.AUDIENCE)
            .clock(clock)
            .build();
    base = start(verifier);
    keys.set(null); // the application's key source fails from now on

    HttpResponse<String> r = send("GET", "/api/lessons", "Authorization", "Bearer " + valid());

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("30");
    assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
    assertThat(json(r))
        .containsEntry("error", "keys_unavailable")
        .as("a page on another origin reads the wait here when CORS hides Retry-After")
        .containsEntry("retryAfter", 30L);
  }

  private void restartWithNonces() throws Exception {
    stop();
    verifier.close();
    verifier =
        JwtVerifier.withJwkSet(new JWKSet(key.toPublicJWK()))
            .issuer(Tokens.ISSUER)
            .audience(Tokens.AUDIENCE)
            .clock(clock)
            .dpop(Proofs.checker(clock).nonces(DpopNonces.random(NONCE_PERIOD, clock)).build())
            .build();
    base = start(verifier);
  }

  private String currentNonce() {
    return verifier.dpop().currentNonce().orElseThrow();
  }

  private String proofWithNonce(String path, String token, String nonce) {
    return Proofs.proof(client, "GET", base.resolve(path), token, clock.instant(), nonce);
  }

  @Test
  void withNoncesEveryAnswerToADpopRequestCarriesTheCurrentNonce() throws Exception {
    restartWithNonces();
    String token = Proofs.boundToken(key, clock, client);
    String student =
        Tokens.rs256(
            key,
            clock,
            c ->
                c.claim("roles", java.util.List.of("student"))
                    .claim("cnf", Map.of("jkt", Proofs.thumbprint(client))));
    String first = currentNonce();

    HttpResponse<String> withoutNonce =
        sendDpop(token, proofWithNonce("/api/lessons", token, null));
    HttpResponse<String> accepted = sendDpop(token, proofWithNonce("/api/lessons", token, first));
    HttpResponse<String> otherKey =
        sendDpop(
            token,
            Proofs.proof(
                Proofs.clientKey("mallory"), "GET", lessons(), token, clock.instant(), first));
    HttpResponse<String> noRole =
        send(
            "GET",
            "/admin",
            "Authorization",
            "DPoP " + student,
            "DPoP",
            proofWithNonce("/admin", student, first));
    clock.advance(NONCE_PERIOD);
    String second = currentNonce();
    HttpResponse<String> afterTheTurn =
        sendDpop(token, proofWithNonce("/api/lessons", token, first));

    assertThat(withoutNonce.statusCode()).isEqualTo(401);
    assertThat(json(withoutNonce)).containsEntry("error", "use_dpop_nonce");
    assertThat(withoutNonce.headers().allValues(Dpop.NONCE_HEADER)).containsExactly(first);
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(accepted.headers().allValues(Dpop.NONCE_HEADER)).containsExactly(first);
    assertThat(otherKey.statusCode()).isEqualTo(401);
    assertThat(json(otherKey)).containsEntry("error", "dpop_proof_wrong_key");
    assertThat(otherKey.headers().allValues(Dpop.NONCE_HEADER)).containsExactly(first);
    assertThat(noRole.statusCode()).isEqualTo(403);
    assertThat(noRole.headers().allValues(Dpop.NONCE_HEADER)).containsExactly(first);
    assertThat(second).isNotEqualTo(first);
    assertThat(afterTheTurn.statusCode())
        .as("the previous period's nonce is still accepted")
        .isEqualTo(200);
    assertThat(afterTheTurn.headers().allValues(Dpop.NONCE_HEADER)).containsExactly(second);
  }

  @Test
  void withNoncesBearerRequestsGetNoNonce() throws Exception {
    restartWithNonces();
    String bound = Proofs.boundToken(key, clock, client);

    HttpResponse<String> accepted =
        send("GET", "/api/lessons", "Authorization", "Bearer " + valid());
    HttpResponse<String> boundAsBearer =
        send("GET", "/api/lessons", "Authorization", "Bearer " + bound);
    HttpResponse<String> noToken = send("GET", "/api/lessons");

    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(boundAsBearer.statusCode()).isEqualTo(401);
    assertThat(json(boundAsBearer)).containsEntry("error", "dpop_required");
    assertThat(noToken.statusCode()).isEqualTo(401);
    for (HttpResponse<String> r : java.util.List.of(accepted, boundAsBearer, noToken)) {
      assertThat(r.headers().firstValue(Dpop.NONCE_HEADER)).as(r.toString()).isEmpty();
    }
  }

  @Test
  void aCachedBoundTokenStillNeedsItsProofOnEveryRequest() throws Exception {
    String token = Proofs.boundToken(key, clock, client);
    assertThat(sendDpop(token, Proofs.proof(client, "GET", lessons(), token, clock)).statusCode())
        .isEqualTo(200);
    long hitsBefore = verifier.metrics().cacheHits();

    HttpResponse<String> noProof = sendDpop(token, null);
    HttpResponse<String> asBearer = send("GET", "/api/lessons", "Authorization", "Bearer " + token);
    HttpResponse<String> otherKey =
        sendDpop(token, Proofs.proof(Proofs.clientKey("mallory"), "GET", lessons(), token, clock));

    assertThat(verifier.metrics().cacheHits())
        .as("the token came from the cache")
        .isGreaterThan(hitsBefore);
    assertThat(noProof.statusCode()).isEqualTo(401);
    assertThat(json(noProof)).containsEntry("error", "dpop_proof_missing");
    assertThat(asBearer.statusCode()).isEqualTo(401);
    assertThat(json(asBearer)).containsEntry("error", "dpop_required");
    assertThat(otherKey.statusCode()).isEqualTo(401);
    assertThat(json(otherKey)).containsEntry("error", "dpop_proof_wrong_key");
  }

  @Test
  void eachDpopRefusalGives401WithADpopChallengeAndJsonBody() throws Exception {
    String token = Proofs.boundToken(key, clock, client);
    String unbound = valid();
    String replayed = Proofs.proof(client, "GET", lessons(), token, clock);
    assertThat(sendDpop(token, replayed).statusCode()).isEqualTo(200);
    Map<String, String[]> cases = new LinkedHashMap<>();
    cases.put("dpop_required", new String[] {"Bearer " + token, null, "invalid_token"});
    cases.put("dpop_proof_missing", new String[] {"DPoP " + token, null, "invalid_dpop_proof"});
    cases.put(
        "dpop_proof_wrong_key",
        new String[] {
          "DPoP " + token,
          Proofs.proof(Proofs.clientKey("mallory"), "GET", lessons(), token, clock),
          "invalid_dpop_proof"
        });
    cases.put(
        "dpop_proof_replayed", new String[] {"DPoP " + token, replayed, "invalid_dpop_proof"});
    cases.put(
        "dpop_proof_stale",
        new String[] {
          "DPoP " + token,
          Proofs.proof(
              client, "GET", lessons(), token, clock.instant().minus(Duration.ofMinutes(5)), null),
          "invalid_dpop_proof"
        });
    cases.put(
        "dpop_proof_wrong_method",
        new String[] {
          "DPoP " + token,
          Proofs.proof(client, "POST", lessons(), token, clock),
          "invalid_dpop_proof"
        });
    cases.put(
        "dpop_proof_wrong_url",
        new String[] {
          "DPoP " + token,
          Proofs.proof(client, "GET", base.resolve("/api/other"), token, clock),
          "invalid_dpop_proof"
        });
    cases.put(
        "dpop_proof_wrong_token",
        new String[] {
          "DPoP " + token,
          Proofs.proof(client, "GET", lessons(), unbound, clock),
          "invalid_dpop_proof"
        });
    cases.put(
        "dpop_token_not_bound",
        new String[] {
          "DPoP " + unbound, Proofs.proof(client, "GET", lessons(), unbound, clock), "invalid_token"
        });
    cases.put(
        "dpop_proof_malformed", new String[] {"DPoP " + token, "x.y.z", "invalid_dpop_proof"});
    for (Map.Entry<String, String[]> c : cases.entrySet()) {
      String[] v = c.getValue();
      HttpResponse<String> r =
          v[1] == null
              ? send("GET", "/api/lessons", "Authorization", v[0])
              : send("GET", "/api/lessons", "Authorization", v[0], "DPoP", v[1]);

      assertThat(r.statusCode()).as(c.getKey()).isEqualTo(401);
      String challenge = r.headers().firstValue("WWW-Authenticate").orElseThrow();
      assertThat(challenge)
          .as(c.getKey())
          .startsWith("DPoP ")
          .contains("error=\"" + v[2] + "\"")
          .contains("algs=\"")
          .contains("ES256");
      assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(r.headers().firstValue(Dpop.NONCE_HEADER)).as(c.getKey()).isEmpty();
      assertThat(json(r)).as(c.getKey()).containsEntry("error", c.getKey()).containsKey("message");
    }
  }

  @Test
  void theProofUrlIsComparedNormalisedAndWithoutTheRequestsQuery() throws Exception {
    String token = Proofs.boundToken(key, clock, client);
    URI shouting = URI.create("HTTP://127.0.0.1:" + base.getPort() + "/api/./lessons");

    HttpResponse<String> r =
        send(
            "GET",
            "/api/lessons?page=2",
            "Authorization",
            "DPoP " + token,
            "DPoP",
            Proofs.proof(client, "GET", shouting, token, clock));

    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void behindAProxyTheProofNamesThePublicUrl() throws Exception {
    String token = Proofs.boundToken(key, clock, client);
    URI publicUrl = PUBLIC_BASE.resolve("/proxied");

    HttpResponse<String> ok =
        send(
            "GET",
            "/proxied",
            "Authorization",
            "DPoP " + token,
            "DPoP",
            Proofs.proof(client, "GET", publicUrl, token, clock));
    HttpResponse<String> internal =
        send(
            "GET",
            "/proxied",
            "Authorization",
            "DPoP " + token,
            "DPoP",
            Proofs.proof(client, "GET", base.resolve("/proxied"), token, clock));

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(internal.statusCode()).isEqualTo(401);
    assertThat(json(internal)).containsEntry("error", "dpop_proof_wrong_url");
  }

  @Test
  void unboundTokensKeepWorkingAsBearerAndTwoProofsAreRefused() throws Exception {
    String token = Proofs.boundToken(key, clock, client);
    HttpResponse<String> twoProofs =
        send(
            "GET",
            "/api/lessons",
            "Authorization",
            "DPoP " + token,
            "DPoP",
            Proofs.proof(client, "GET", lessons(), token, clock),
            "DPoP",
            Proofs.proof(client, "GET", lessons(), token, clock));

    assertThat(send("GET", "/api/lessons", "Authorization", "Bearer " + valid()).statusCode())
        .isEqualTo(200);
    assertThat(twoProofs.statusCode()).isEqualTo(401);
    assertThat(json(twoProofs)).containsEntry("error", "dpop_proof_malformed");
  }
}
