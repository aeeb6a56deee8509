package dev.latchkey.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A plain Spring Boot 4 resource server on Spring Security's own DPoP support (RFC 9449; {@code
 * oauth2ResourceServer(rs -> rs.jwt(…).dPoP(…))} in 7.1), without any Latchkey code, accepts tokens
 * bound the way Latchkey binds them ({@code cnf.jkt}, {@code typ: at+jwt}, signed by a real
 * Latchkey auth server's key) when they come with a valid proof, and refuses them without it.
 * Proofs are made with the Nimbus OAuth SDK's factory.
 */
@SpringBootTest(
    classes = SpringSecurityDpopInteropTest.DpopResourceServer.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringSecurityDpopInteropTest {
  private static LatchkeyFixture latchkey;
  private static final ECKey CLIENT = ec();
  private static final ECKey OTHER = ec();
  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort int port;

  /** What an adopter writes: a JwtDecoder for at+jwt tokens, and the resource server. */
  @SpringBootApplication
  static class DpopResourceServer {
    @Bean
    JwtDecoder jwtDecoder() {
      NimbusJwtDecoder decoder =
          NimbusJwtDecoder.withJwkSetUri(latchkey.server().jwksUrl())
              .jwsAlgorithm(SignatureAlgorithm.RS256)
              .build();
      decoder.setJwtValidator(
          JwtValidators.createDefaultWithValidators(
              List.of(
                  new JwtIssuerValidator(latchkey.issuer()),
                  new JwtTypeValidator("at+jwt"),
                  new JwtAudienceValidator(LatchkeyFixture.AUDIENCE))));
      return decoder;
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
          // Spring Security 7.1 asks for DPoP explicitly (7.0 turned it on by itself).
          .oauth2ResourceServer(
              rs -> rs.jwt(Customizer.withDefaults()).dPoP(Customizer.withDefaults()))
          .build();
    }

    @RestController
    static class Api {
      @GetMapping("/api/lessons")
      Map<String, String> lessons(@AuthenticationPrincipal Jwt jwt) {
        return Map.of("sub", jwt.getSubject());
      }
    }
  }

  @DynamicPropertySource
  static void start(DynamicPropertyRegistry registry) throws Exception {
    latchkey = LatchkeyFixture.start(Files.createTempDirectory("latchkey-interop-dpop"));
  }

  @AfterAll
  static void stop() {
    latchkey.close();
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

  private String proof(ECKey key, String token) throws Exception {
    return new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256)
        .createDPoPJWT("GET", lessons(), new DPoPAccessToken(token))
        .serialize();
  }

  private HttpResponse<String> get(String authorization, String proof) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(lessons())
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", authorization);
    if (proof != null) {
      b.header("DPoP", proof);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String bound() throws Exception {
    return latchkey.boundToken(CLIENT.computeThumbprint().toString());
  }

  @Test
  void acceptsABoundTokenWithItsProof() throws Exception {
    String token = bound();

    HttpResponse<String> r = get("DPoP " + token, proof(CLIENT, token));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains(latchkey.userId());
  }

  @Test
  void refusesABoundTokenWithoutItsProof() throws Exception {
    String token = bound();

    assertThat(get("DPoP " + token, null).statusCode()).as("no proof").isEqualTo(401);
    assertThat(get("Bearer " + token, null).statusCode()).as("as Bearer").isEqualTo(401);
    assertThat(get("DPoP " + token, proof(OTHER, token)).statusCode())
        .as("another key's proof")
        .isEqualTo(401);
    assertThat(get("DPoP " + token, proof(CLIENT, latchkey.issuedToken())).statusCode())
        .as("a proof for another token")
        .isEqualTo(401);
  }
}
