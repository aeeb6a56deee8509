package dev.latchkey.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Real HTTP calls on loopback, and token verification with plain Nimbus. */
final class TestHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestHttp() {}

  static HttpResponse<String> get(String url, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.GET().build());
  }

  static HttpResponse<String> postJson(String url, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json");
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /**
   * The server's {@code /metrics} on its loopback metrics port: start it with {@code
   * http().withMetricsPort(0)}; the public port never serves it.
   */
  static String metricsUrl(AuthServer server) {
    if (server.metricsPort() < 0) {
      throw new IllegalStateException("started without a metrics port");
    }
    return "http://127.0.0.1:" + server.metricsPort() + "/metrics";
  }

  /** The config with a metrics server on a free loopback port. */
  static AuthServerConfig withMetrics(AuthServerConfig config) {
    return config.withHttp(config.http().withMetricsPort(0));
  }

  static HttpResponse<String> login(AuthServer server, String email, String password) {
    return postJson(server.loginUrl(), credentials(email, password));
  }

  static String credentials(String email, String password) {
    try {
      return JSON.writeValueAsString(Map.of("email", email, "password", password));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String idToken(HttpResponse<String> loginResponse) {
    return json(loginResponse).get("idToken").asText();
  }

  /**
   * Verifies a token as an application server would, with Nimbus fetching the JWK Set from the
   * server (no caching, so every call sees the current set).
   */
  static JWTClaimsSet verify(AuthServer server, String token, String audience) throws Exception {
    JWKSource<SecurityContext> keys =
        JWKSourceBuilder.create(new URL(server.jwksUrl()))
            .refreshAheadCache(false)
            .cache(false)
            .rateLimited(false)
            .retrying(false)
            .build();
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256), keys));
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            audience,
            new JWTClaimsSet.Builder().issuer(server.issuer()).build(),
            Set.of("sub", "iat", "exp", "jti", "sid")));
    return processor.process(token, null);
  }
}
