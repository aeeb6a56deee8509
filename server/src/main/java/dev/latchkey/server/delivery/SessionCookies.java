package dev.latchkey.server.delivery;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session cookie ({@code HttpOnly; Secure; SameSite=Lax; Path=/}) and the {@code XSRF-TOKEN}
 * double-submit cookie (readable by scripts), written as raw {@code Set-Cookie} headers so that
 * every attribute is exactly what this class says.
 */
public final class SessionCookies {
  private static final Logger log = LoggerFactory.getLogger(SessionCookies.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Longer cookie values are ignored (a JWT of this server is far shorter). */
  private static final int MAX_TOKEN_LENGTH = 8192;

  private final DeliverySettings settings;
  private final String name;
  private final long maxAgeSeconds;

  public SessionCookies(DeliverySettings settings, Duration sessionLength) {
    this.settings = settings;
    this.name = settings.effectiveCookieName();
    this.maxAgeSeconds = sessionLength.toSeconds();
    if (settings.insecureCookies()) {
      log.warn(
          "Insecure cookies: the session and XSRF cookies are sent without Secure, so over plain"
              + " HTTP anyone on the network can read them. Use this only for development.");
    }
  }

  /** The session cookie's name. */
  public String name() {
    return name;
  }

  /** The {@code Set-Cookie} values of a login: the session cookie, then {@code XSRF-TOKEN}. */
  public List<String> forLogin(String token, long expiresInSeconds) {
    long maxAge = Math.max(0, Math.min(expiresInSeconds, maxAgeSeconds));
    return List.of(
        header(name, token, maxAge, true),
        header(DeliverySettings.XSRF_COOKIE, newXsrf(), maxAge, false));
  }

  /** The {@code Set-Cookie} values that delete both cookies (for a logout). */
  public List<String> forLogout() {
    return List.of(header(name, "", 0, true), header(DeliverySettings.XSRF_COOKIE, "", 0, false));
  }

  /** Adds the login cookies to an answer. */
  public void setOnLogin(Context ctx, String token, long expiresInSeconds) {
    forLogin(token, expiresInSeconds).forEach(v -> ctx.res().addHeader("Set-Cookie", v));
  }

  /** Adds the deleting cookies to an answer. */
  public void clear(Context ctx) {
    forLogout().forEach(v -> ctx.res().addHeader("Set-Cookie", v));
  }

  /** The session token from the request's cookie, if any. */
  public Optional<String> token(Context ctx) {
    String value = ctx.cookie(name);
    if (value == null || value.isEmpty() || value.length() > MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    return Optional.of(value);
  }

  /**
   * Whether the {@code X-XSRF-TOKEN} header repeats the {@code XSRF-TOKEN} cookie (both present,
   * compared in constant time): what an unsafe request authenticated by the cookie must show.
   */
  public static boolean xsrfMatches(Context ctx) {
    String cookie = ctx.cookie(DeliverySettings.XSRF_COOKIE);
    String header = ctx.header(DeliverySettings.XSRF_HEADER);
    if (cookie == null || header == null || cookie.isEmpty() || cookie.length() > 256) {
      return false;
    }
    return MessageDigest.isEqual(
        cookie.getBytes(StandardCharsets.US_ASCII), header.getBytes(StandardCharsets.US_ASCII));
  }

  private String header(String cookie, String value, long maxAge, boolean httpOnly) {
    StringBuilder b = new StringBuilder(cookie).append('=').append(value);
    b.append("; Path=/");
    if (settings.cookieDomain() != null) {
      b.append("; Domain=").append(settings.cookieDomain());
    }
    b.append("; Max-Age=").append(maxAge);
    if (maxAge == 0) {
      b.append("; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    }
    if (settings.secureCookies()) {
      b.append("; Secure");
    }
    if (httpOnly) {
      b.append("; HttpOnly");
    }
    b.append("; SameSite=Lax");
    return b.toString();
  }

  /** A fresh XSRF token: 256 random bits, base64url. */
  static String newXsrf() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
