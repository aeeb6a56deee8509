package dev.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.spring.testing.AuthServerFixture;
import dev.latchkey.spring.testing.DpopClient;
import dev.latchkey.verifier.wire.Dpop;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Server nonces turned on by the {@code latchkey.dpop.nonces.*} settings, over HTTP: a proof
 * without the nonce is refused with {@code use_dpop_nonce} and the nonce, with it accepted;
 * applications given the same secret (one as base64url, one as base64) accept each other's nonce,
 * one without a secret does not; a secret too short or not base64 and a period under a second stop
 * the application at start-up with a message naming the property.
 */
class DpopNonceSettingsTest {
  private static final String ENABLED = "latchkey.dpop.nonces.enabled=true";
  private static final DpopClient CLIENT = new DpopClient();
  private static final List<ConfigurableApplicationContext> STARTED = new ArrayList<>();
  private static AuthServerFixture auth;

  @BeforeAll
  static void startAuthServer() {
    auth = AuthServerFixture.start();
  }

  @AfterAll
  static void stop() {
    STARTED.forEach(ConfigurableApplicationContext::close);
    auth.close();
  }

  /** The application's port. */
  private static int start(String... settings) {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(StarterTestApp.class)
            .properties("server.port=0", "latchkey.issuer-uri=" + auth.issuer())
            .properties(settings)
            .run();
    STARTED.add(context);
    return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
  }

  /** 38 random bytes whose base64 has both + and / (and base64url - and _ instead). */
  private static byte[] secret() {
    byte[] secret = new byte[38];
    new SecureRandom().nextBytes(secret);
    System.arraycopy(
        new byte[] {(byte) 0xfb, (byte) 0xef, (byte) 0xbe, -1, -1, -1}, 0, secret, 0, 6);
    return secret;
  }

  @Test
  void instancesWithTheSameSecretAcceptEachOthersNonce() throws Exception {
    byte[] secret = secret();
    String base64url = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    String base64 = Base64.getEncoder().encodeToString(secret);
    int first = start(ENABLED, "latchkey.dpop.nonces.secret=" + base64url);
    int second = start(ENABLED, "latchkey.dpop.nonces.secret=" + base64);
    int alone = start(ENABLED);
    String token = auth.bound(CLIENT.thumbprint());

    HttpResponse<String> withoutNonce = CLIENT.get(first, "/api/lessons", token, null);
    String nonce = withoutNonce.headers().firstValue(Dpop.NONCE_HEADER).orElseThrow();
    HttpResponse<String> accepted = CLIENT.get(first, "/api/lessons", token, nonce);
    HttpResponse<String> atTheOther = CLIENT.get(second, "/api/lessons", token, nonce);
    HttpResponse<String> withoutSecret = CLIENT.get(alone, "/api/lessons", token, nonce);

    assertThat(withoutNonce.statusCode()).isEqualTo(401);
    assertThat(withoutNonce.body()).contains("\"error\":\"use_dpop_nonce\"");
    assertThat(withoutNonce.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"use_dpop_nonce\"");
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(accepted.headers().allValues(Dpop.NONCE_HEADER)).containsExactly(nonce);
    assertThat(atTheOther.statusCode()).as("the same secret, the same nonce").isEqualTo(200);
    assertThat(atTheOther.headers().allValues(Dpop.NONCE_HEADER)).containsExactly(nonce);
    assertThat(withoutSecret.statusCode()).as("a nonce of its own").isEqualTo(401);
    assertThat(withoutSecret.body()).contains("\"error\":\"use_dpop_nonce\"");
    assertThat(withoutSecret.headers().firstValue(Dpop.NONCE_HEADER).orElseThrow())
        .isNotEqualTo(nonce);
  }

  @Test
  void aSecretUnder32BytesStopsTheStart() {
    String short31 = Base64.getEncoder().encodeToString(new byte[31]);

    assertThatThrownBy(() -> start(ENABLED, "latchkey.dpop.nonces.secret=" + short31))
        .rootCause()
        .hasMessage(
            "latchkey.dpop.nonces.secret must decode to at least 32 bytes (it decodes to 31);"
                + " make one with: openssl rand -base64 32");
  }

  @Test
  void aSecretThatIsNotBase64StopsTheStart() {
    assertThatThrownBy(
            () -> start(ENABLED, "latchkey.dpop.nonces.secret=not base64 at all, not even close"))
        .rootCause()
        .hasMessageStartingWith("latchkey.dpop.nonces.secret is neither base64 nor base64url");
  }

  @Test
  void aPeriodUnderOneSecondStopsTheStart() {
    assertThatThrownBy(() -> start(ENABLED, "latchkey.dpop.nonces.period=0s"))
        .rootCause()
        .hasMessage("latchkey.dpop.nonces.period must be at least one second (it is PT0S)");
  }
}
