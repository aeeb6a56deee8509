package dev.latchkey.spring;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.authentication.logout.LogoutFilter;

/**
 * What Latchkey puts on every {@link HttpSecurity} of the application: a stateless resource server
 * whose {@link JwtDecoder} is the Latchkey verifier, roles as {@code ROLE_} authorities, tokens
 * read as the delivery mode says, the XSRF double-submit check of cookie delivery in place of
 * Spring's CSRF filter, and refusals in Latchkey's JSON shape. Published as a {@code
 * Customizer<HttpSecurity>} bean, which Spring Security 7 applies to each {@code HttpSecurity} it
 * hands out, so an application's own {@code SecurityFilterChain} only states its {@code
 * authorizeHttpRequests} rules.
 */
public final class LatchkeyHttpSecurity implements Customizer<HttpSecurity> {
  private final JwtDecoder decoder;
  private final LatchkeyTokenResolver tokens;
  private final LatchkeyRefusals refusals;
  private final DpopFilter dpop;

  /**
   * @param dpop the checker of {@code Authorization: DPoP} requests, or null (cookie delivery)
   */
  LatchkeyHttpSecurity(
      JwtDecoder decoder,
      LatchkeyTokenResolver tokens,
      LatchkeyRefusals refusals,
      DpopFilter dpop) {
    this.decoder = decoder;
    this.tokens = tokens;
    this.refusals = refusals;
    this.dpop = dpop;
  }

  @Override
  public void customize(HttpSecurity http) {
    http.oauth2ResourceServer(
            rs ->
                rs.jwt(
                        jwt ->
                            jwt.decoder(decoder)
                                .jwtAuthenticationConverter(new RolesAuthenticationConverter()))
                    .bearerTokenResolver(tokens)
                    .authenticationEntryPoint(refusals)
                    .accessDeniedHandler(refusals))
        .exceptionHandling(e -> e.authenticationEntryPoint(refusals).accessDeniedHandler(refusals))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(AbstractHttpConfigurer::disable)
        .addFilterAfter(new XsrfFilter(tokens), BearerTokenAuthenticationFilter.class);
    if (dpop != null) {
      // Before every authentication filter, Spring Security's own DPoP filter included.
      http.addFilterBefore(dpop, LogoutFilter.class);
    }
  }
}
