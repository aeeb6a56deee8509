package dev.latchkey.samples.oauth2login;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A server-side web application that signs its users in with Spring Security's {@code oauth2Login}
 * against an OpenID provider (Latchkey), as any Spring application would: the provider is found
 * from its issuer URL ({@code application.properties}), the rest is Spring's defaults. Every page
 * needs a signed-in user except the one a logout ends on; the logout is RP-initiated (the provider
 * ends its single-sign-on session too).
 */
@SpringBootApplication
public class OAuth2LoginSample {

  public static void main(String[] args) {
    SpringApplication.run(OAuth2LoginSample.class, args);
  }

  @Bean
  SecurityFilterChain security(HttpSecurity http, ClientRegistrationRepository registrations)
      throws Exception {
    OidcClientInitiatedLogoutSuccessHandler providerLogout =
        new OidcClientInitiatedLogoutSuccessHandler(registrations);
    providerLogout.setPostLogoutRedirectUri("{baseUrl}" + Pages.SIGNED_OUT);
    return http.authorizeHttpRequests(
            requests ->
                requests.requestMatchers(Pages.SIGNED_OUT).permitAll().anyRequest().authenticated())
        .oauth2Login(Customizer.withDefaults())
        .logout(logout -> logout.logoutSuccessHandler(providerLogout))
        .build();
  }

  /**
   * Access tokens for calls to an API: the one the sign-in obtained, refreshed with the refresh
   * token once it is about to expire.
   */
  @Bean
  OAuth2AuthorizedClientManager authorizedClients(
      ClientRegistrationRepository registrations, OAuth2AuthorizedClientRepository clients) {
    DefaultOAuth2AuthorizedClientManager manager =
        new DefaultOAuth2AuthorizedClientManager(registrations, clients);
    manager.setAuthorizedClientProvider(
        OAuth2AuthorizedClientProviderBuilder.builder().authorizationCode().refreshToken().build());
    return manager;
  }
}
