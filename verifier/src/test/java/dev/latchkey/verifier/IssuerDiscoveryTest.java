package dev.latchkey.verifier;

import static dev.latchkey.verifier.testing.Reasons.reasonOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.latchkey.verifier.testing.Keys;
import dev.latchkey.verifier.testing.Tokens;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link JwtVerifier#withIssuerUri}: discovery through a real HTTP server on a loopback port. */
class IssuerDiscoveryTest {
  private final RSAKey key = Keys.rsa("k1");
  private final AtomicLong ticker = new AtomicLong();
  private final AtomicInteger discoveries = new AtomicInteger();
  private HttpServer server;
  private URI issuer;
  private volatile String advertisedIssuer;
  private volatile int discoveryStatus = 200;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    issuer = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    advertisedIssuer = issuer.toString();
    server.createContext("/.well-known/openid-configuration", this::discovery);
    server.createContext(
        "/keys", ex -> send(ex, 200, new JWKSet(key.toPublicJWK()).toString(true)));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void discovery(HttpExchange ex) throws IOException {
    discoveries.incrementAndGet();
    send(
        ex,
        discoveryStatus,
        "{\"issuer\":\"" + advertisedIssuer + "\",\"jwks_uri\":\"" + issuer + "/keys\"}");
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  private JwtVerifier verifier() {
    return JwtVerifier.withIssuerUri(issuer)
        .audience(Tokens.AUDIENCE)
        .ticker(ticker::get)
        .verifiedTokenCache(false)
        .build();
  }

  private String token(String iss) {
    return Tokens.rs256(key, Clock.systemUTC(), c -> c.issuer(iss));
  }

  @Test
  void theIssuerUrlAloneFindsTheKeysAndIsTheRequiredIssuer() {
    try (JwtVerifier v = verifier()) {
      assertThat(v.verify(token(issuer.toString())).subject()).isEqualTo("user-42");
      assertThat(reasonOf(v, token("http://elsewhere.example")))
          .isEqualTo(RejectionReason.WRONG_ISSUER);
      assertThat(v.metrics().keysHeld()).isEqualTo(1);
      assertThat(discoveries).hasValue(1);
    }
  }

  @Test
  void aDocumentNamingAnotherIssuerIsRefusedAsKeysUnavailable() {
    advertisedIssuer = "http://impostor.example";
    try (JwtVerifier v = verifier()) {
      assertThat(reasonOf(v, token(issuer.toString()))).isEqualTo(RejectionReason.KEYS_UNAVAILABLE);
      assertThat(v.metrics().jwksFetchesFailed()).isEqualTo(1);
    }
  }

  @Test
  void failedDiscoveryIsRetriedAfterTheMinimumIntervalOnly() {
    discoveryStatus = 500;
    try (JwtVerifier v = verifier()) {
      String good = token(issuer.toString());
      assertThat(reasonOf(v, good)).isEqualTo(RejectionReason.KEYS_UNAVAILABLE);
      discoveryStatus = 200;
      assertThat(reasonOf(v, good)).isEqualTo(RejectionReason.KEYS_UNAVAILABLE);
      assertThat(discoveries).hasValue(1); // spaced by the JWKS rate limit

      ticker.addAndGet(Duration.ofSeconds(7).toNanos());
      assertThat(v.verify(good).subject()).isEqualTo("user-42");
      assertThat(discoveries).hasValue(2);
    }
  }

  @Test
  void theIssuerCannotBeSetToAnythingButTheUri() {
    assertThatThrownBy(() -> JwtVerifier.withIssuerUri(issuer).issuer("http://other"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(JwtVerifier.withIssuerUri(URI.create("http://auth.example/tenant/")).discoveryUri())
        .hasToString("http://auth.example/tenant/.well-known/openid-configuration");
  }
}
