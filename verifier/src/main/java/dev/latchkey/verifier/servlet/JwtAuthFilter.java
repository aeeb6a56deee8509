package dev.latchkey.verifier.servlet;

import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.VerifiedToken;
import dev.latchkey.verifier.internal.http.AuthPolicy;
import dev.latchkey.verifier.internal.http.Outcome;
import dev.latchkey.verifier.internal.http.RequestView;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Jakarta Servlet filter with the behaviour of the Javalin adapter (for Spring MVC, Jetty,
 * Tomcat): map it on the protected paths; handlers read the token with {@link
 * #token(HttpServletRequest)}.
 */
public final class JwtAuthFilter implements Filter {
  /** The request attribute holding the {@link VerifiedToken}. */
  public static final String ATTRIBUTE = "latchkey.token";

  private final AuthPolicy policy;
  private final boolean required;
  private final Set<String> roles;
  private final boolean secondFactor;

  private JwtAuthFilter(AuthPolicy policy, boolean required) {
    this(policy, required, Set.of());
  }

  private JwtAuthFilter(AuthPolicy policy, boolean required, Set<String> roles) {
    this(policy, required, roles, false);
  }

  private JwtAuthFilter(
      AuthPolicy policy, boolean required, Set<String> roles, boolean secondFactor) {
    this.policy = policy;
    this.required = required;
    this.roles = roles;
    this.secondFactor = secondFactor;
  }

  /** Required tokens from {@code Authorization: Bearer}. */
  public static JwtAuthFilter bearer(JwtVerifier verifier) {
    return new JwtAuthFilter(AuthPolicy.of(verifier, AuthPolicy.Mode.BEARER, null), true);
  }

  /**
   * Required tokens from a cookie, with the session-bound XSRF check on unsafe methods (see {@link
   * dev.latchkey.verifier.wire.Xsrf}).
   */
  public static JwtAuthFilter cookie(JwtVerifier verifier, String cookieName) {
    return new JwtAuthFilter(AuthPolicy.of(verifier, AuthPolicy.Mode.COOKIE, cookieName), true);
  }

  /** Required tokens from the Authorization header if present, else from the cookie. */
  public static JwtAuthFilter bearerOrCookie(JwtVerifier verifier, String cookieName) {
    return new JwtAuthFilter(
        AuthPolicy.of(verifier, AuthPolicy.Mode.BEARER_OR_COOKIE, cookieName), true);
  }

  /** The same filter, letting requests without a token through (invalid tokens still refused). */
  public JwtAuthFilter optional() {
    return new JwtAuthFilter(policy, false);
  }

  /**
   * The same filter, required, and refusing tokens that hold none of {@code anyOf} in their {@code
   * roles} claim: 403 with {@code WWW-Authenticate: Bearer …, error="insufficient_scope"} and
   * {@code {"error":"insufficient_scope",…}}. A token verified by an earlier filter of this request
   * is reused.
   */
  public JwtAuthFilter requireRole(String... anyOf) {
    return new JwtAuthFilter(policy, true, AuthPolicy.roleNames(anyOf));
  }

  /**
   * The same filter, required, and refusing tokens that do not say the user passed a second factor
   * ({@code mfa} in the {@code amr} claim): 403 with {@code WWW-Authenticate: Bearer …,
   * error="insufficient_user_authentication"} (RFC 9470) and the JSON body. A token verified by an
   * earlier filter of this request is reused.
   */
  public JwtAuthFilter requireSecondFactor() {
    return new JwtAuthFilter(policy, true, roles, true);
  }

  /** The same filter with another realm. */
  public JwtAuthFilter realm(String realm) {
    return new JwtAuthFilter(policy.withRealm(realm), required, roles, secondFactor);
  }

  /** The same filter with other XSRF cookie and header names than Angular's defaults. */
  public JwtAuthFilter xsrfNames(String cookieName, String headerName) {
    return new JwtAuthFilter(
        policy.withXsrfNames(cookieName, headerName), required, roles, secondFactor);
  }

  /**
   * The same filter with the URL clients address this application at (behind a proxy, e.g. {@code
   * https://api.example.com}): a DPoP proof's {@code htu} must equal it followed by the request
   * path. Without it, the container's request URL is used.
   */
  public JwtAuthFilter publicBaseUrl(URI base) {
    return new JwtAuthFilter(policy.withPublicBaseUrl(base), required, roles, secondFactor);
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    Optional<VerifiedToken> held =
        roles.isEmpty() && !secondFactor ? Optional.empty() : optionalToken(request);
    Outcome o =
        held.isPresent()
            ? Outcome.accepted(held.get())
            : policy.authenticate(view(request), required);
    o = policy.authorize(o, request.getMethod(), roles);
    if (secondFactor) {
      o = policy.requireSecondFactor(o, request.getMethod());
    }
    for (Map.Entry<String, String> h : o.headers().entrySet()) {
      response.setHeader(h.getKey(), h.getValue());
    }
    if (o.proceed()) {
      if (o.token() != null) {
        request.setAttribute(ATTRIBUTE, o.token());
      }
      chain.doFilter(request, response);
      return;
    }
    response.setStatus(o.status());
    byte[] body = o.body().getBytes(StandardCharsets.UTF_8);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static RequestView view(HttpServletRequest request) {
    return new RequestView() {
      @Override
      public String method() {
        return request.getMethod();
      }

      @Override
      public String header(String name) {
        return request.getHeader(name);
      }

      @Override
      public List<String> headers(String name) {
        java.util.Enumeration<String> values = request.getHeaders(name);
        return values == null ? List.of() : Collections.list(values);
      }

      @Override
      public String requestUrl() {
        return request.getRequestURL().toString();
      }

      @Override
      public String rawPath() {
        return request.getRequestURI();
      }

      @Override
      public String cookie(String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
          return null;
        }
        for (Cookie c : cookies) {
          if (c.getName().equals(name)) {
            return c.getValue();
          }
        }
        return null;
      }
    };
  }

  /**
   * The verified token of a request that passed a required filter.
   *
   * @throws IllegalStateException when there is none (the filter is not mapped on this path)
   */
  public static VerifiedToken token(HttpServletRequest request) {
    return optionalToken(request)
        .orElseThrow(() -> new IllegalStateException("no verified token: is the filter mapped?"));
  }

  /** The verified token, if the request carried a valid one. */
  public static Optional<VerifiedToken> optionalToken(HttpServletRequest request) {
    Object t = request.getAttribute(ATTRIBUTE);
    return t instanceof VerifiedToken v ? Optional.of(v) : Optional.empty();
  }
}
