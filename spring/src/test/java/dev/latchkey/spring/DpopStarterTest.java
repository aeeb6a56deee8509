package dev.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import dev.latchkey.spring.testing.AppClient;
import dev.latchkey.spring.testing.AuthServerFixture;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * DPoP through the starter, over HTTP: bound tokens (signed by a real auth server's key) need the
 * DPoP scheme and a proof (made with the Nimbus OAuth SDK's factory) on every request, with the
 * same answers as the verifier's adapters.
 */
@SpringBootTest(
    classes = StarterTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DpopStarterTest {
  private static AuthServerFixture auth;
  private static final ECKey CLIENT = ec();
  private static final ECKey OTHER = ec();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void latchkey(DynamicPropertyRegistry registry) {
    auth = AuthServerFixture.start();
    registry.add("latchkey.issuer-uri", auth::issuer);
  }

  @AfterAll
  static void stop() {
    auth.close();
  }

  private static ECKey ec() {
    try {
      return new ECKeyGenerator(Curve.P_256).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private URI lessons() {
    return URI.create("http://127.0.0.1:" + port + "/api/lessons");
  }

  private static String proof(ECKey key, String method, URI url, String token, Instant iat)
      throws Exception {
    return new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256)
        .createDPoPJWT(new JWTID(), method, url, Date.from(iat), new DPoPAccessToken(token), null)
        .serialize();
  }

  private String proof(String token) throws Exception {
    return proof(CLIENT, "GET", lessons(), token, Instant.now());
  }

  private String bound() throws Exception {
    return auth.bound(CLIENT.computeThumbprint().toString());
  }

  private HttpResponse<String> get(String... headers) throws Exception {
    return new AppClient(port).send("GET", "/api/lessons", headers);
  }

  @Test
  void aBoundTokenWithItsProofIsAcceptedAndNeedsAFreshProofEachTime() throws Exception {
    String token = bound();

    HttpResponse<String> first = get("Authorization", "DPoP " + token, "DPoP", proof(token));
    HttpResponse<String> second = get("Authorization", "DPoP " + token, "DPoP", proof(token));
    HttpResponse<String> cachedWithoutProof = get("Authorization", "DPoP " + token);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(JSONObjectUtils.parse(first.body())).containsEntry("sub", "dpop-user");
    assertThat(first.headers().firstValue("DPoP-Nonce")).as("nonces are off").isEmpty();
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(cachedWithoutProof.statusCode()).isEqualTo(401);
    assertThat(JSONObjectUtils.parse(cachedWithoutProof.body()))
        .containsEntry("error", "dpop_proof_missing");
  }

  @Test
  void eachRefusalIs401WithADpopChallengeAndLatchkeysJsonBody() throws Exception {
    String token = bound();
    String unbound = auth.issue(AuthServerFixture.STUDENT).token();
    String used = proof(token);
    assertThat(get("Authorization", "DPoP " + token, "DPoP", used).statusCode()).isEqualTo(200);
    Map<String, String[]> cases = new LinkedHashMap<>();
    cases.put("dpop_required", new String[] {"Bearer " + token, null});
    cases.put("dpop_proof_missing", new String[] {"DPoP " + token, null});
    cases.put(
        "dpop_proof_wrong_key",
        new String[] {"DPoP " + token, proof(OTHER, "GET", lessons(), token, Instant.now())});
    cases.put("dpop_proof_replayed", new String[] {"DPoP " + token, used});
    cases.put(
        "dpop_proof_stale",
        new String[] {
          "DPoP " + token,
          proof(CLIENT, "GET", lessons(), token, Instant.now().minus(Duration.ofMinutes(5)))
        });
    cases.put(
        "dpop_proof_wrong_method",
        new String[] {"DPoP " + token, proof(CLIENT, "POST", lessons(), token, Instant.now())});
    cases.put(
        "dpop_proof_wrong_url",
        new String[] {
          "DPoP " + token,
          proof(CLIENT, "GET", URI.create(lessons() + "/other"), token, Instant.now())
        });
    cases.put("dpop_proof_wrong_token", new String[] {"DPoP " + token, proof(unbound)});
    cases.put("dpop_token_not_bound", new String[] {"DPoP " + unbound, proof(unbound)});
    for (Map.Entry<String, String[]> c : cases.entrySet()) {
      String[] v = c.getValue();
      HttpResponse<String> r =
          v[1] == null ? get("Authorization", v[0]) : get("Authorization", v[0], "DPoP", v[1]);

      assertThat(r.statusCode()).as(c.getKey()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
          .as(c.getKey())
          .startsWith("DPoP ")
          .contains("algs=\"ES256 RS256 PS256\"");
      assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(r.headers().firstValue("DPoP-Nonce")).as(c.getKey()).isEmpty();
      assertThat(JSONObjectUtils.parse(r.body())).as(c.getKey()).containsEntry("error", c.getKey());
    }
  }

  /**
   * RFC 9449 §7.1: the 403 of a missing role challenges with the scheme the token came with, for a
   * rule of {@code authorizeHttpRequests} and for {@code @PreAuthorize} alike.
   */
  @Test
  void aBoundTokenWithoutTheRoleGets403InADpopChallengeAndABearerOneStaysBearer() throws Exception {
    String jkt = CLIENT.computeThumbprint().toString();
    String student = auth.issue(AuthServerFixture.STUDENT, List.of("pwd"), jkt).token();
    String admin = auth.issue(AuthServerFixture.ADMIN, List.of("pwd"), jkt).token();
    String bearerStudent = auth.issue(AuthServerFixture.STUDENT).token();
    for (String path : List.of("/api/rules/admin", "/api/admin/progress")) {
      URI url = URI.create("http://127.0.0.1:" + port + path);
      AppClient app = new AppClient(port);

      HttpResponse<String> bound =
          app.send(
              "GET",
              path,
              "Authorization",
              "DPoP " + student,
              "DPoP",
              proof(CLIENT, "GET", url, student, Instant.now()));
      HttpResponse<String> bearer =
          app.send("GET", path, "Authorization", "Bearer " + bearerStudent);
      HttpResponse<String> allowed =
          app.send(
              "GET",
              path,
              "Authorization",
              "DPoP " + admin,
              "DPoP",
              proof(CLIENT, "GET", url, admin, Instant.now()));

      assertThat(bound.statusCode()).as(path).isEqualTo(403);
      assertThat(bound.headers().allValues("WWW-Authenticate"))
          .as(path)
          .containsExactly(
              "DPoP realm=\"latchkey\", error=\"insufficient_scope\","
                  + " error_description=\"The token lacks a required role\","
                  + " algs=\"ES256 RS256 PS256\"");
      assertThat(bound.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(JSONObjectUtils.parse(bound.body())).containsEntry("error", "insufficient_scope");
      assertThat(bearer.statusCode()).as(path).isEqualTo(403);
      assertThat(bearer.headers().allValues("WWW-Authenticate"))
          .as(path)
          .containsExactly(
              "Bearer realm=\"latchkey\", error=\"insufficient_scope\","
                  + " error_description=\"The token lacks a required role\"");
      assertThat(allowed.statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  void unboundTokensKeepWorkingAsBearer() throws Exception {
    String unbound = auth.issue(AuthServerFixture.STUDENT).token();

    assertThat(get("Authorization", "Bearer " + unbound).statusCode()).isEqualTo(200);
  }
}
