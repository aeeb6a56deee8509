package dev.latchkey.spring;

import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.RevocationSettings;
import dev.latchkey.verifier.dpop.DpopProofChecker;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ConditionalOnDefaultWebSecurity;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Makes a Spring Boot servlet application a Latchkey application server once {@code
 * latchkey.issuer-uri} is set: a {@link JwtVerifier} found by issuer discovery (with the revocation
 * feed and, when {@code latchkey.dpop.nonces.enabled}, DPoP server nonces), a {@link JwtDecoder}
 * backed by it, {@link LatchkeyHttpSecurity} on every {@code HttpSecurity}, method security
 * ({@code @PreAuthorize}), and, when the application declares no {@code SecurityFilterChain}, one
 * that requires a valid token on every request.
 */
@AutoConfiguration(
    before = {
      OAuth2ResourceServerAutoConfiguration.class,
      ServletWebSecurityAutoConfiguration.class,
      UserDetailsServiceAutoConfiguration.class
    })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = "latchkey", name = "issuer-uri")
@EnableConfigurationProperties(LatchkeyProperties.class)
public class LatchkeyAutoConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(LatchkeyAutoConfiguration.class);

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  JwtVerifier latchkeyVerifier(LatchkeyProperties p) {
    var builder =
        JwtVerifier.withIssuerUri(p.issuerUri())
            .audience(p.audience().toArray(String[]::new))
            .allowedTypes(p.tokenType());
    if (p.dpop().required()) {
      builder.requireDpop();
    }
    if (p.dpop().nonces().enabled()) {
      builder.dpop(
          DpopProofChecker.builder().nonces(p.dpop().nonces().toNonces(Clock.systemUTC())).build());
      if (p.dpop().nonces().secret() == null) {
        LOG.info(
            "DPoP nonces of this instance only (no latchkey.dpop.nonces.secret): several instances"
                + " need sticky routing or the same secret");
      }
    }
    if (p.revocationFeed().enabled()) {
      builder.revocationFeed(
          RevocationSettings.builder(p.revocationFeed().uriFor(p.issuerUri()))
              .pollInterval(p.revocationFeed().pollInterval())
              .build());
    }
    return builder.build();
  }

  @Bean
  @ConditionalOnMissingBean
  JwtDecoder latchkeyJwtDecoder(JwtVerifier verifier) {
    return new LatchkeyJwtDecoder(verifier);
  }

  @Bean
  @ConditionalOnMissingBean
  LatchkeyHttpSecurity latchkeyHttpSecurity(
      JwtDecoder decoder, JwtVerifier verifier, LatchkeyProperties p) {
    LatchkeyRefusals refusals = new LatchkeyRefusals(p.realm(), verifier);
    return new LatchkeyHttpSecurity(
        decoder,
        new LatchkeyTokenResolver(p.delivery(), p.cookieName()),
        refusals,
        p.delivery() == LatchkeyProperties.Delivery.COOKIE
            ? null
            : new DpopFilter(verifier, decoder, refusals, p.dpop().publicBaseUrl()));
  }

  /** Every request needs a valid token, unless the application declares its own chain. */
  @Bean
  @Order(SecurityFilterProperties.BASIC_AUTH_ORDER)
  @ConditionalOnDefaultWebSecurity
  SecurityFilterChain latchkeySecurityFilterChain(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(a -> a.anyRequest().authenticated()).build();
  }

  /** {@code @PreAuthorize("hasRole('admin')")} and the other method-security annotations. */
  @Configuration(proxyBeanMethods = false)
  @EnableMethodSecurity
  static class MethodSecurity {}
}
