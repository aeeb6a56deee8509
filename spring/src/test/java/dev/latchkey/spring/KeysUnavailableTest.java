package dev.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An application whose auth server is down starts anyway, and answers 503 with {@code Retry-After}
 * (not 401: clients keep their sessions) until the keys can be fetched.
 */
@SpringBootTest(
    classes = StarterTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KeysUnavailableTest {
  @LocalServerPort int port;

  @DynamicPropertySource
  static void deadIssuer(DynamicPropertyRegistry registry) throws Exception {
    int free;
    try (ServerSocket s = new ServerSocket(0)) {
      free = s.getLocalPort(); // nothing listens there once closed
    }
    registry.add("latchkey.issuer-uri", () -> "http://127.0.0.1:" + free);
    registry.add("latchkey.revocation-feed.enabled", () -> "false");
  }

  /** An RS256 token of the right shape: judging it needs the issuer's keys. */
  private static String wellFormedToken() throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("k1")
                .type(new JOSEObjectType("at+jwt"))
                .build(),
            new JWTClaimsSet.Builder().subject("someone").build());
    jwt.sign(new RSASSASigner(new RSAKeyGenerator(2048).generate()));
    return jwt.serialize();
  }

  @Test
  void aTokenThatCannotBeJudgedGets503WithRetryAfter() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/lessons"))
                    .header("Authorization", "Bearer " + wellFormedToken())
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("30");
    assertThat(r.body()).contains("\"error\":\"keys_unavailable\"").contains("\"retryAfter\":30");
  }
}
