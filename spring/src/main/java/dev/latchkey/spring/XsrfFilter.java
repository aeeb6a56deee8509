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
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The double-submit check of cookie delivery, in place of Spring's CSRF filter: a {@code POST},
 * {@code PUT}, {@code PATCH} or {@code DELETE} whose session comes from the cookie must carry an
 * {@code X-XSRF-TOKEN} header equal to the auth server's {@code XSRF-TOKEN} cookie, else 403 {@code
 * xsrf_mismatch}. Requests authenticated by the Authorization header need no check (a cross-site
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
        && !Xsrf.matches(
            LatchkeyTokenResolver.cookie(request, Xsrf.COOKIE), request.getHeader(Xsrf.HEADER))) {
      LOG.info("{} refused: XSRF header missing or different from cookie", request.getMethod());
      LatchkeyRefusals.write(
          response,
          403,
          Map.of(),
          ErrorResponse.body(Xsrf.MISMATCH_ERROR, Xsrf.mismatchMessage(Xsrf.COOKIE, Xsrf.HEADER)));
      return;
    }
    chain.doFilter(request, response);
  }
}
