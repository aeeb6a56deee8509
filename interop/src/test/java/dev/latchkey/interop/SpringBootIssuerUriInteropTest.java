package dev.latchkey.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A plain Spring Boot 4 resource server, configured only with {@code
 * spring.security.oauth2.resourceserver.jwt.issuer-uri} and without any Latchkey code, accepts the
 * tokens of an auth server started with {@code --token-type JWT} (Spring Security's defaults refuse
 * {@code at+jwt}), and refuses bad ones.
 */
@SpringBootTest(
    classes = SpringBootIssuerUriInteropTest.PlainResourceServer.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringBootIssuerUriInteropTest {
  private static LatchkeyFixture latchkey;
  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort int port;

  /** What an adopter writes: a controller; security comes from Boot's issuer-uri alone. */
  @SpringBootApplication
  static class PlainResourceServer {
    @RestController
    static class Api {
      @GetMapping("/api/lessons")
      Map<String, String> lessons(@AuthenticationPrincipal Jwt jwt) {
        return Map.of("sub", jwt.getSubject());
      }
    }
  }

  @DynamicPropertySource
  static void issuerUri(DynamicPropertyRegistry registry) throws Exception {
    latchkey = LatchkeyFixture.start(Files.createTempDirectory("latchkey-interop-boot"), "JWT");
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", latchkey::issuer);
  }

  @AfterAll
  static void stop() {
    latchkey.close();
  }

  private HttpResponse<String> get(String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/lessons"))
            .timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void acceptsTokensOfTypeJwtFromLoginAndFromTheCommandLine() throws Exception {
    for (String token : new String[] {latchkey.loginToken(), latchkey.issuedToken()}) {
      HttpResponse<String> r = get(token);

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains(latchkey.userId());
    }
  }

  @Test
  void refusesMissingForgedTamperedExpiredAndUnsignedTokens() throws Exception {
    assertThat(get(null).statusCode()).isEqualTo(401);
    for (String bad :
        new String[] {
          latchkey.foreignKeyToken(),
          latchkey.foreignKeyTokenWithServerKid(),
          latchkey.tamperedToken(),
          latchkey.expiredToken(),
          latchkey.wrongIssuerToken(),
          latchkey.unsignedToken()
        }) {
      assertThat(get(bad).statusCode()).isEqualTo(401);
    }
  }
}
