package dev.latchkey.spring;

import dev.latchkey.verifier.wire.Roles;
import java.util.List;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Each role of the token's {@code roles} claim becomes the authority {@code ROLE_<role>}, so {@code
 * hasRole('admin')} works in {@code authorizeHttpRequests} and {@code @PreAuthorize}. The
 * authentication's name is the {@code sub}.
 */
public final class RolesAuthenticationConverter
    implements Converter<Jwt, AbstractAuthenticationToken> {

  /** The prefix Spring's {@code hasRole} expects. */
  public static final String PREFIX = "ROLE_";

  @Override
  public AbstractAuthenticationToken convert(Jwt jwt) {
    List<GrantedAuthority> authorities =
        Roles.of(jwt.getClaims().get(Roles.CLAIM)).stream()
            .<GrantedAuthority>map(r -> new SimpleGrantedAuthority(PREFIX + r))
            .toList();
    return new JwtAuthenticationToken(jwt, authorities, jwt.getSubject());
  }
}
