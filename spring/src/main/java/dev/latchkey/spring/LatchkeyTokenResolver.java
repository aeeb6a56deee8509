package dev.latchkey.spring;

import dev.latchkey.spring.LatchkeyProperties.Delivery;
import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.TokenRejectedException;
import dev.latchkey.verifier.wire.BearerToken;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;

/**
 * Reads the token as the delivery mode says: from {@code Authorization: Bearer} (parsed as the wire
 * contract does: another scheme is no token, a bare {@code Bearer} a malformed one), from the
 * session cookie, or from the header if present and else the cookie.
 */
public final class LatchkeyTokenResolver implements BearerTokenResolver {
  private final Delivery delivery;
  private final String cookieName;

  public LatchkeyTokenResolver(Delivery delivery, String cookieName) {
    this.delivery = delivery;
    this.cookieName = cookieName;
  }

  @Override
  public String resolve(HttpServletRequest request) {
    if (request.getAttribute(DpopFilter.VERIFIED) != null) {
      return null; // authenticated with its DPoP proof already
    }
    String token = delivery == Delivery.COOKIE ? null : headerToken(request);
    if (token == null && fromCookie(request)) {
      token = cookie(request, cookieName);
    }
    if (token != null && token.isEmpty()) {
      throw new InvalidBearerTokenException(
          "malformed", new TokenRejectedException(RejectionReason.MALFORMED));
    }
    return token;
  }

  /** Whether this request's token, if any, comes from the session cookie. */
  public boolean fromCookie(HttpServletRequest request) {
    if (request.getAttribute(DpopFilter.VERIFIED) != null) {
      return false;
    }
    return switch (delivery) {
      case BEARER -> false;
      case COOKIE -> cookie(request, cookieName) != null;
      case BOTH -> headerToken(request) == null && cookie(request, cookieName) != null;
    };
  }

  private static String headerToken(HttpServletRequest request) {
    return BearerToken.parse(request.getHeader(BearerToken.HEADER));
  }

  static String cookie(HttpServletRequest request, String name) {
    Cookie[] cookies = request.getCookies();
    if (cookies != null) {
      for (Cookie c : cookies) {
        if (c.getName().equals(name)) {
          return c.getValue();
        }
      }
    }
    return null;
  }
}
