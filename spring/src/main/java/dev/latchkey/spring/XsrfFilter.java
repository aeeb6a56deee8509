package dev.latchkey.spring;

import dev.latchkey.verifier.wire.ErrorResponse;
import dev.latchkey.verifier.wire.Xsrf;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The session-bound XSRF check of cookie delivery, in place of Spring's CSRF filter: a {@code
 * POST}, {@code PUT}, {@code PATCH} or {@code DELETE} whose session comes from the cookie must
 * carry an {@code X-XSRF-TOKEN} header equal to the {@code XSRF-TOKEN} cookie and bound to the
 * verified token by its {@code xsrf} claim (see {@link Xsrf#passes}), else 403 {@code
 * xsrf_mismatch}. It runs after the bearer-token filter, so the token is verified (an invalid one
 * was answered 401). Requests authenticated by the Authorization header need no check (a cross-site
 * page cannot set it).
 */
final class XsrfFilter extends OncePerRequestFilter {
  private static final Logger LOG = LoggerFactory.getLogger("dev.latchkey.verifier.auth");

  private final LatchkeyTokenResolver tokens;

  XsrfFilter(LatchkeyTokenResolver tokens) {
    this.tokens = tokens;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (Xsrf.isRequiredFor(request.getMethod())
        && tokens.fromCookie(request)
        && !Xsrf.passes(
            LatchkeyTokenResolver.cookie(request, Xsrf.COOKIE),
            request.getHeader(Xsrf.HEADER),
            xsrfClaim())) {
      LOG.info("{} refused: XSRF header missing or not this session's", request.getMethod());
      LatchkeyRefusals.write(
          response,
          403,
          Map.of(),
          ErrorResponse.body(Xsrf.MISMATCH_ERROR, Xsrf.mismatchMessage(Xsrf.COOKIE, Xsrf.HEADER)));
      return;
    }
    chain.doFilter(request, response);
  }

  /** The {@code xsrf} claim of the token the bearer-token filter verified, or null. */
  private static Object xsrfClaim() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    return authentication != null && authentication.getPrincipal() instanceof Jwt jwt
        ? jwt.getClaims().get(Xsrf.CLAIM)
        : null;
  }
}
