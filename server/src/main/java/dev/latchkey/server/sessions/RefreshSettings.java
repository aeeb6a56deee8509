package dev.latchkey.server.sessions;

import java.time.Duration;
import java.util.Objects;

/**
 * Refresh sessions: short access tokens plus a rotating refresh token in an {@code HttpOnly;
 * Secure; SameSite=Strict; Path=/api/refresh} cookie.
 *
 * @param enabled whether {@code POST /api/refresh} exists and login sets the refresh cookie
 * @param accessTokenLength lifetime of the access tokens ({@code exp - iat}) while refresh is on;
 *     replaces {@code sessionLength}
 * @param idleLifetime a session not refreshed for this long ends
 * @param absoluteLifetime a session ends this long after the login, refreshed or not
 * @param reuseGrace a spent refresh token presented again within this long after its rotation gets
 *     the current token pair (parallel tabs) instead of revoking the session
 * @param cookieName the refresh cookie's name
 */
public record RefreshSettings(
    boolean enabled,
    Duration accessTokenLength,
    Duration idleLifetime,
    Duration absoluteLifetime,
    Duration reuseGrace,
    String cookieName) {

  /** Refresh sessions off (the default): one token of {@code sessionLength}, no refresh cookie. */
  public static final RefreshSettings OFF =
      new RefreshSettings(
          false,
          Duration.ofMinutes(15),
          Duration.ofDays(1),
          Duration.ofDays(7),
          Duration.ofSeconds(10),
          "__Secure-latchkey-refresh");

  public RefreshSettings {
    positive(accessTokenLength, "accessTokenLength");
    positive(idleLifetime, "idleLifetime");
    positive(absoluteLifetime, "absoluteLifetime");
    Objects.requireNonNull(reuseGrace, "reuseGrace");
    if (reuseGrace.isNegative()) {
      throw new IllegalArgumentException("reuseGrace must not be negative");
    }
    if (idleLifetime.compareTo(absoluteLifetime) > 0) {
      throw new IllegalArgumentException("idleLifetime must not exceed absoluteLifetime");
    }
    Objects.requireNonNull(cookieName, "cookieName");
    if (!cookieName.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("cookieName must be a plain token, got " + cookieName);
    }
  }

  /**
   * Refresh on: access tokens of {@code accessTokenLength}, sessions ending after {@code
   * idleLifetime} without a refresh or {@code absoluteLifetime} after login; 10 s reuse grace.
   */
  public static RefreshSettings on(
      Duration accessTokenLength, Duration idleLifetime, Duration absoluteLifetime) {
    return new RefreshSettings(
        true, accessTokenLength, idleLifetime, absoluteLifetime, OFF.reuseGrace, OFF.cookieName);
  }

  /** Refresh on with 15 min access tokens, 1 day idle and 7 day absolute lifetimes. */
  public static RefreshSettings on() {
    return on(OFF.accessTokenLength, OFF.idleLifetime, OFF.absoluteLifetime);
  }

  public RefreshSettings withReuseGrace(Duration v) {
    return new RefreshSettings(
        enabled, accessTokenLength, idleLifetime, absoluteLifetime, v, cookieName);
  }

  public RefreshSettings withCookieName(String v) {
    return new RefreshSettings(
        enabled, accessTokenLength, idleLifetime, absoluteLifetime, reuseGrace, v);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
