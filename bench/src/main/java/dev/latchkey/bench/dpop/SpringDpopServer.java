package dev.latchkey.bench.dpop;

import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The DPoP load's baseline: a plain Spring Boot resource server on Spring Security's own DPoP
 * support, set up as interop's {@code SpringSecurityDpopInteropTest} sets it up (what an adopter
 * writes; no Latchkey code): a {@link NimbusJwtDecoder} on the auth server's JWKS for {@code
 * at+jwt} tokens of its issuer and audience, every request authenticated, {@code
 * oauth2ResourceServer(rs -> rs.jwt(…).dPoP(…))}. {@code GET /api/lessons} answers the subject.
 */
@SpringBootApplication
public class SpringDpopServer {
  @Bean
  JwtDecoder jwtDecoder(
      @Value("${bench.jwks-url}") String jwksUrl,
      @Value("${bench.issuer}") String issuer,
      @Value("${bench.audience}") String audience) {
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withJwkSetUri(jwksUrl).jwsAlgorithm(SignatureAlgorithm.RS256).build();
    decoder.setJwtValidator(
        JwtValidators.createDefaultWithValidators(
            List.of(
                new JwtIssuerValidator(issuer),
                new JwtTypeValidator("at+jwt"),
                new JwtAudienceValidator(audience))));
    return decoder;
  }

  @Bean
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
        .oauth2ResourceServer(
            rs -> rs.jwt(Customizer.withDefaults()).dPoP(Customizer.withDefaults()))
        .build();
  }

  /**
   * Says why a request was refused (Spring answers a bare 401); only refusals reach it, so it costs
   * nothing on the measured path, and the load stops at the first refusal anyway.
   */
  @Bean
  ApplicationListener<AbstractAuthenticationFailureEvent> refusals() {
    return e ->
        System.err.println(
            "spring refused: "
                + e.getException().getClass().getSimpleName()
                + ": "
                + e.getException().getMessage());
  }

  @RestController
  static class Api {
    @GetMapping("/api/lessons")
    Map<String, String> lessons(@AuthenticationPrincipal Jwt jwt) {
      return Map.of("sub", jwt.getSubject());
    }
  }

  /** Starts it on a free loopback port; the caller closes the context. */
  public static ConfigurableApplicationContext start(
      String jwksUrl, String issuer, String audience) {
    SpringApplication app = new SpringApplication(SpringDpopServer.class);
    app.setDefaultProperties(
        Map.of(
            "server.port",
            "0",
            "server.address",
            "127.0.0.1",
            "spring.main.banner-mode",
            "off",
            "bench.jwks-url",
            jwksUrl,
            "bench.issuer",
            issuer,
            "bench.audience",
            audience));
    return app.run();
  }

  public static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }
}
