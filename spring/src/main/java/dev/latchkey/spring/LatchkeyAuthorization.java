package dev.latchkey.spring;

import dev.latchkey.verifier.wire.AuthenticationMethods;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Authorization rules on what a Latchkey token says beyond its roles, for {@code
 * authorizeHttpRequests}:
 *
 * <pre>{@code
 * .requestMatchers("/api/admin/**")
 *     .access(AuthorizationManagers.allOf(hasRole("admin"), LatchkeyAuthorization.secondFactor()))
 * }</pre>
 *
 * A refusal by {@link #secondFactor()} is answered by the starter as RFC 9470 says: 403 with {@code
 * error="insufficient_user_authentication"}, not the {@code insufficient_scope} of a missing role.
 */
public final class LatchkeyAuthorization {
  private LatchkeyAuthorization() {}

  /**
   * Grants a request whose token says the user passed a second factor: {@code mfa} in its {@code
   * amr} claim (RFC 8176). A token without {@code amr}, or with a single factor such as {@code
   * ["pwd"]}, is denied with {@link SecondFactorRequired}.
   */
  public static <T> AuthorizationManager<T> secondFactor() {
    return LatchkeyAuthorization::authorizeSecondFactor;
  }

  private static AuthorizationResult authorizeSecondFactor(
      Supplier<? extends Authentication> authentication, Object object) {
    Authentication a = authentication.get();
    boolean granted =
        a != null
            && a.isAuthenticated()
            && a.getPrincipal() instanceof Jwt jwt
            && AuthenticationMethods.multiFactor(methods(jwt));
    return granted ? new AuthorizationDecision(true) : new SecondFactorRequired();
  }

  private static List<String> methods(Jwt jwt) {
    return AuthenticationMethods.of(jwt.getClaims().get(AuthenticationMethods.CLAIM));
  }

  /**
   * The denial of {@link #secondFactor()}: the starter's access-denied handler answers it with
   * {@code insufficient_user_authentication}.
   */
  public static final class SecondFactorRequired extends AuthorizationDecision {
    private static final long serialVersionUID = 1L;

    SecondFactorRequired() {
      super(false);
    }
  }
}
