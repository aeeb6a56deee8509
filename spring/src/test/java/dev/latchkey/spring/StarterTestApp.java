package dev.latchkey.spring;

import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application that uses the starter and states only its rules: {@code /api/status} open, {@code
 * /api/rules/admin} for admins by {@code authorizeHttpRequests}, everything else authenticated;
 * {@code /api/admin/progress} for admins by {@code @PreAuthorize}; {@code /api/rules/second-factor}
 * for a token with a second factor, {@code /api/rules/admin/second-factor} for an admin's with one.
 */
@SpringBootApplication
class StarterTestApp {

  @Bean
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(
            a ->
                a.requestMatchers("/api/status")
                    .permitAll()
                    .requestMatchers("/api/rules/admin")
                    .hasRole("admin")
                    .requestMatchers("/api/rules/second-factor")
                    .access(LatchkeyAuthorization.secondFactor())
                    .requestMatchers("/api/rules/admin/second-factor")
                    .access(
                        AuthorizationManagers.allOf(
                            AuthorityAuthorizationManager.hasRole("admin"),
                            LatchkeyAuthorization.secondFactor()))
                    .anyRequest()
                    .authenticated())
        .build();
  }

  @RestController
  static class Api {
    @GetMapping("/api/status")
    Map<String, Object> status() {
      return Map.of("status", "up");
    }

    @GetMapping("/api/lessons")
    Map<String, Object> lessons(@AuthenticationPrincipal Jwt jwt) {
      return Map.of("sub", jwt.getSubject(), "lessons", List.of("jwt-101"));
    }

    @PostMapping("/api/lessons/{id}/complete")
    Map<String, Object> complete(@PathVariable String id, @AuthenticationPrincipal Jwt jwt) {
      return Map.of("sub", jwt.getSubject(), "completed", id);
    }

    @GetMapping("/api/rules/admin")
    Map<String, Object> byRule() {
      return Map.of("admin", true);
    }

    @GetMapping({"/api/rules/second-factor", "/api/rules/admin/second-factor"})
    Map<String, Object> bySecondFactor(@AuthenticationPrincipal Jwt jwt) {
      return Map.of("sub", jwt.getSubject(), "amr", jwt.getClaimAsStringList("amr"));
    }

    @PreAuthorize("hasRole('admin')")
    @GetMapping("/api/admin/progress")
    Map<String, Object> progress() {
      return Map.of("progress", List.of());
    }
  }
}
