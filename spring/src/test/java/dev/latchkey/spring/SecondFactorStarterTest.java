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
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link LatchkeyAuthorization#secondFactor()} in a real Spring Boot application in front of a real
 * auth server, over HTTP: tokens whose {@code amr} lacks {@code mfa} get RFC 9470's 403, in a
 * {@code Bearer} or {@code DPoP} challenge as the token was sent; a missing role stays {@code
 * insufficient_scope}.
 */
@SpringBootTest(
    classes = StarterTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SecondFactorStarterTest {
  private static final String SECOND_FACTOR = "/api/rules/second-factor";
  private static final String ADMIN_SECOND_FACTOR = "/api/rules/admin/second-factor";
  private static final String BEARER_CHALLENGE =
      "Bearer realm=\"latchkey\", error=\"insufficient_user_authentication\","
          + " error_description=\"A second factor is required: sign in again with one\"";
  private static final ECKey CLIENT = ec();
  private static AuthServerFixture auth;

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

  private HttpResponse<String> get(String path, String token) throws Exception {
    return new AppClient(port).send("GET", path, "Authorization", "Bearer " + token);
  }

  private HttpResponse<String> getWithProof(String path, String token) throws Exception {
    String proof =
        new DefaultDPoPProofFactory(CLIENT, JWSAlgorithm.ES256)
            .createDPoPJWT(
                new JWTID(),
                "GET",
                URI.create("http://127.0.0.1:" + port + path),
                new Date(),
                new DPoPAccessToken(token),
                null)
            .serialize();
    return new AppClient(port).send("GET", path, "Authorization", "DPoP " + token, "DPoP", proof);
  }

  private static String token(String email, String... amr) {
    return auth.issue(email, List.of(amr)).token();
  }

  private static void assertSecondFactorRequired(HttpResponse<String> r, String what)
      throws Exception {
    assertThat(r.statusCode()).as(what).isEqualTo(403);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    assertThat(r.body())
        .as(what)
        .isEqualTo(
            "{\"error\":\"insufficient_user_authentication\","
                + "\"message\":\"A second factor is required: sign in again with one\"}");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
  }

  @Test
  void aTokenWithoutAmrOrWithAPasswordAloneGets403InsufficientUserAuthentication()
      throws Exception {
    Map<String, String> cases =
        Map.of(
            "no amr", token(AuthServerFixture.STUDENT),
            "pwd", token(AuthServerFixture.STUDENT, "pwd"),
            "pwd otp without mfa", token(AuthServerFixture.STUDENT, "pwd", "otp"));
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> r = get(SECOND_FACTOR, c.getValue());

      assertSecondFactorRequired(r, c.getKey());
      assertThat(r.headers().allValues("WWW-Authenticate"))
          .as(c.getKey())
          .containsExactly(BEARER_CHALLENGE);
    }
  }

  @Test
  void aPasswordAndACodeOrAHardwareKeyPass() throws Exception {
    for (List<String> amr : List.of(List.of("pwd", "otp", "mfa"), List.of("hwk", "mfa"))) {
      HttpResponse<String> r =
          get(SECOND_FACTOR, auth.issue(AuthServerFixture.STUDENT, amr).token());

      assertThat(r.statusCode()).as(amr.toString()).isEqualTo(200);
      assertThat(JSONObjectUtils.parse(r.body())).as(amr.toString()).containsEntry("amr", amr);
    }
  }

  @Test
  void aRequestWithoutATokenIsStill401() throws Exception {
    HttpResponse<String> r = new AppClient(port).send("GET", SECOND_FACTOR);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(JSONObjectUtils.parse(r.body())).containsEntry("error", "missing_token");
  }

  @Test
  void withARoleTheMissingRoleIsInsufficientScopeAndTheMissingFactorIsRfc9470() throws Exception {
    HttpResponse<String> student = get(ADMIN_SECOND_FACTOR, token(AuthServerFixture.STUDENT));
    HttpResponse<String> studentWithMfa =
        get(ADMIN_SECOND_FACTOR, token(AuthServerFixture.STUDENT, "pwd", "otp", "mfa"));
    HttpResponse<String> adminWithPassword =
        get(ADMIN_SECOND_FACTOR, token(AuthServerFixture.ADMIN, "pwd"));
    HttpResponse<String> adminWithMfa =
        get(ADMIN_SECOND_FACTOR, token(AuthServerFixture.ADMIN, "pwd", "otp", "mfa"));

    for (HttpResponse<String> r : List.of(student, studentWithMfa)) {
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(JSONObjectUtils.parse(r.body())).containsEntry("error", "insufficient_scope");
      assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
          .contains("error=\"insufficient_scope\"");
    }
    assertSecondFactorRequired(adminWithPassword, "admin with pwd");
    assertThat(adminWithPassword.headers().allValues("WWW-Authenticate"))
        .containsExactly(BEARER_CHALLENGE);
    assertThat(adminWithMfa.statusCode()).isEqualTo(200);
  }

  @Test
  void aDpopBoundTokenWithoutASecondFactorGetsADpopChallenge() throws Exception {
    String jkt = CLIENT.computeThumbprint().toString();
    String single = auth.issue(AuthServerFixture.STUDENT, List.of("pwd"), jkt).token();
    String multi = auth.issue(AuthServerFixture.STUDENT, List.of("hwk", "mfa"), jkt).token();

    HttpResponse<String> r = getWithProof(SECOND_FACTOR, single);

    assertSecondFactorRequired(r, "DPoP-bound pwd");
    assertThat(r.headers().allValues("WWW-Authenticate"))
        .singleElement()
        .satisfies(
            v ->
                assertThat(v)
                    .startsWith("DPoP ")
                    .contains("realm=\"latchkey\"")
                    .contains("error=\"insufficient_user_authentication\"")
                    .contains(
                        "error_description=\"A second factor is required: sign in again with"
                            + " one\"")
                    .contains("algs=\"ES256 RS256 PS256\""));
    assertThat(getWithProof(SECOND_FACTOR, multi).statusCode()).isEqualTo(200);
  }
}
