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
 * @param minInterval a refresh within this long of the family's previous rotation does not rotate:
 *     it answers the current pair, signing nothing new while this instance still holds the access
 *     token it issued (default 30 s)
 */
public record RefreshSettings(
    boolean enabled,
    Duration accessTokenLength,
    Duration idleLifetime,
    Duration absoluteLifetime,
    Duration reuseGrace,
    String cookieName,
    Duration minInterval) {

  /** The default minimum interval between two rotations of one family. */
  public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(30);

  public RefreshSettings(
      boolean enabled,
      Duration accessTokenLength,
      Duration idleLifetime,
      Duration absoluteLifetime,
      Duration reuseGrace,
      String cookieName) {
    this(
        enabled,
        accessTokenLength,
        idleLifetime,
        absoluteLifetime,
        reuseGrace,
        cookieName,
        DEFAULT_MIN_INTERVAL);
  }

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
    Objects.requireNonNull(minInterval, "minInterval");
    if (minInterval.isNegative() || minInterval.compareTo(accessTokenLength) >= 0) {
      throw new IllegalArgumentException("minInterval must be >= 0 and below accessTokenLength");
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
        enabled, accessTokenLength, idleLifetime, absoluteLifetime, v, cookieName, minInterval);
  }

  public RefreshSettings withCookieName(String v) {
    return new RefreshSettings(
        enabled, accessTokenLength, idleLifetime, absoluteLifetime, reuseGrace, v, minInterval);
  }

  public RefreshSettings withMinInterval(Duration v) {
    return new RefreshSettings(
        enabled, accessTokenLength, idleLifetime, absoluteLifetime, reuseGrace, cookieName, v);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
