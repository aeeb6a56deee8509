package dev.latchkey.sample;

import static org.springframework.security.authorization.AuthorityAuthorizationManager.hasRole;

import dev.latchkey.spring.LatchkeyAuthorization;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * The lessons API secured by the Latchkey starter alone: the starter checks the tokens and answers
 * refusals; this class only states which routes need what. With {@code
 * sample.admin-requires-mfa=true} the admin routes also need a token whose {@code amr} says the
 * admin passed a second factor (as the demo's {@code --admin-requires-mfa}).
 */
@SpringBootApplication
public class SampleApplication {

  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }

  @Bean
  SecurityFilterChain api(
      HttpSecurity http, @Value("${sample.admin-requires-mfa:false}") boolean adminRequiresMfa)
      throws Exception {
    AuthorizationManager<RequestAuthorizationContext> admin =
        adminRequiresMfa
            ? AuthorizationManagers.allOf(hasRole("admin"), LatchkeyAuthorization.secondFactor())
            : hasRole("admin");
    return http.cors(Customizer.withDefaults())
        .authorizeHttpRequests(
            rules ->
                rules
                    .requestMatchers("/api/status")
                    .permitAll()
                    .requestMatchers("/api/admin/**")
                    .access(admin)
                    .anyRequest()
                    .authenticated())
        .build();
  }

  /**
   * The Angular client's origins may call the API with a bearer or DPoP-bound token (CORS), and
   * read the {@code WWW-Authenticate}, {@code DPoP-Nonce} and {@code Retry-After} of the answers
   * (the client keeps a server's nonce from any answer, and retries a 503 once after its wait);
   * {@code cors()} above finds this bean by its name.
   */
  @Bean
  CorsConfigurationSource corsConfigurationSource(
      @Value("${sample.cors-origins}") List<String> origins) {
    CorsConfiguration cors = new CorsConfiguration();
    cors.setAllowedOrigins(origins);
    cors.setAllowedMethods(List.of("GET", "PUT", "DELETE"));
    cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "DPoP"));
    cors.setExposedHeaders(List.of("WWW-Authenticate", "DPoP-Nonce", "Retry-After"));
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    source.registerCorsConfiguration("/api/**", cors);
    return source;
  }
}
