package dev.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.spring.testing.AppClient;
import dev.latchkey.spring.testing.AuthServerFixture;
import dev.latchkey.spring.testing.DpopClient;
import dev.latchkey.testing.MutableClock;
import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.dpop.DpopNonces;
import dev.latchkey.verifier.dpop.DpopProofChecker;
import dev.latchkey.verifier.wire.Dpop;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Server nonces through the starter, over HTTP (the application declares its own {@link
 * JwtVerifier} with {@link DpopNonces}, on a clock the test turns; {@link DpopNonceSettingsTest}
 * turns them on by the {@code latchkey.dpop.nonces.*} settings): every answer to a request sent
 * with the DPoP scheme, accepted or refused, carries the current {@code DPoP-Nonce}, the next
 * period's once the clock turns; Bearer requests get none.
 */
@SpringBootTest(
    classes = StarterTestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(DpopNoncesStarterTest.WithNonces.class)
class DpopNoncesStarterTest {
  private static final Duration PERIOD = Duration.ofMinutes(5);
  private static final MutableClock NONCE_CLOCK = MutableClock.startingNow();
  private static AuthServerFixture auth;
  private static final DpopClient CLIENT = new DpopClient();

  @LocalServerPort int port;
  @Autowired JwtVerifier verifier;

  @TestConfiguration(proxyBeanMethods = false)
  static class WithNonces {
    /** The starter's verifier, with server nonces on a clock the test turns. */
    @Bean(destroyMethod = "close")
    JwtVerifier noncedVerifier(LatchkeyProperties p) {
      return JwtVerifier.withIssuerUri(p.issuerUri())
          .audience(p.audience().toArray(String[]::new))
          .allowedTypes(p.tokenType())
          .dpop(DpopProofChecker.builder().nonces(DpopNonces.random(PERIOD, NONCE_CLOCK)).build())
          .build();
    }
  }

  @DynamicPropertySource
  static void latchkey(DynamicPropertyRegistry registry) {
    auth = AuthServerFixture.start();
    registry.add("latchkey.issuer-uri", auth::issuer);
  }

  @AfterAll
  static void stop() {
    auth.close();
  }

  private HttpResponse<String> dpop(String path, String token, String nonce) throws Exception {
    return CLIENT.get(port, path, token, nonce);
  }

  private String currentNonce() {
    return verifier.dpop().currentNonce().orElseThrow();
  }

  @Test
  void everyAnswerToADpopRequestCarriesTheCurrentNonceAndTheNextOneAfterTheTurn() throws Exception {
    String jkt = CLIENT.thumbprint();
    String token = auth.bound(jkt);
    String student = auth.issue(AuthServerFixture.STUDENT, List.of("pwd"), jkt).token();
    String first = currentNonce();

    HttpResponse<String> withoutNonce = dpop("/api/lessons", token, null);
    HttpResponse<String> accepted = dpop("/api/lessons", token, first);
    HttpResponse<String> noRole = dpop("/api/rules/admin", student, first);
    NONCE_CLOCK.advance(PERIOD);
    String second = currentNonce();
    HttpResponse<String> afterTheTurn = dpop("/api/lessons", token, first);

    assertThat(withoutNonce.statusCode()).isEqualTo(401);
    assertThat(withoutNonce.body()).contains("\"error\":\"use_dpop_nonce\"");
    assertThat(withoutNonce.headers().allValues(Dpop.NONCE_HEADER)).containsExactly(first);
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(accepted.headers().allValues(Dpop.NONCE_HEADER)).containsExactly(first);
    assertThat(noRole.statusCode()).isEqualTo(403);
    assertThat(noRole.headers().allValues(Dpop.NONCE_HEADER)).containsExactly(first);
    assertThat(second).isNotEqualTo(first);
    assertThat(afterTheTurn.statusCode())
        .as("the previous period's nonce is still accepted")
        .isEqualTo(200);
    assertThat(afterTheTurn.headers().allValues(Dpop.NONCE_HEADER)).containsExactly(second);
  }

  @Test
  void bearerRequestsGetNoNonce() throws Exception {
    String unbound = auth.issue(AuthServerFixture.STUDENT).token();
    AppClient app = new AppClient(port);

    HttpResponse<String> accepted =
        app.send("GET", "/api/lessons", "Authorization", "Bearer " + unbound);
    HttpResponse<String> noToken = app.send("GET", "/api/lessons");

    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(accepted.headers().firstValue(Dpop.NONCE_HEADER)).isEmpty();
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(noToken.headers().firstValue(Dpop.NONCE_HEADER)).isEmpty();
  }
}
