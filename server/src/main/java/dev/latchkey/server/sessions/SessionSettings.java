package dev.latchkey.server.sessions;

import dev.latchkey.server.throttle.ClientAddress;
import dev.latchkey.server.throttle.ThrottleSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Sessions: token lifetime, refresh, brute-force throttling of logins, and the revocation feed.
 *
 * @param sessionLength lifetime of a session token ({@code exp - iat}) when refresh is off
 * @param refresh refresh sessions; {@link RefreshSettings#OFF} by default
 * @param throttle brute-force throttling of logins; on by default
 * @param trustedProxies addresses ({@code 10.0.0.1}) or CIDR ranges ({@code 10.0.0.0/8}) of reverse
 *     proxies whose {@code X-Forwarded-For} is believed; empty (default) means the socket address
 *     is the client address
 * @param revocationPollInterval {@code Cache-Control: max-age} of {@code GET /api/revocations}, and
 *     the poll interval recommended to verifiers (default 30 s)
 */
public record SessionSettings(
    Duration sessionLength,
    RefreshSettings refresh,
    ThrottleSettings throttle,
    List<String> trustedProxies,
    Duration revocationPollInterval) {

  public SessionSettings {
    requirePositive(sessionLength, "sessionLength");
    Objects.requireNonNull(refresh, "refresh");
    Objects.requireNonNull(throttle, "throttle");
    trustedProxies = List.copyOf(Objects.requireNonNull(trustedProxies, "trustedProxies"));
    for (String proxy : trustedProxies) {
      ClientAddress.parseRange(proxy); // refuses a malformed entry at start
    }
    requirePositive(revocationPollInterval, "revocationPollInterval");
  }

  /**
   * 2 h tokens, refresh off, throttling on with its defaults, no trusted proxy, 30 s revocation
   * polling.
   */
  public static SessionSettings defaults() {
    return new SessionSettings(
        Duration.ofHours(2),
        RefreshSettings.OFF,
        ThrottleSettings.defaults(),
        List.of(),
        Duration.ofSeconds(30));
  }

  /**
   * Lifetime of the tokens the server signs: the refresh settings' access token length when refresh
   * is on, else {@link #sessionLength}.
   */
  public Duration tokenLength() {
    return refresh.enabled() ? refresh.accessTokenLength() : sessionLength;
  }

  public SessionSettings withSessionLength(Duration v) {
    return new SessionSettings(v, refresh, throttle, trustedProxies, revocationPollInterval);
  }

  public SessionSettings withRefresh(RefreshSettings v) {
    return new SessionSettings(sessionLength, v, throttle, trustedProxies, revocationPollInterval);
  }

  public SessionSettings withThrottle(ThrottleSettings v) {
    return new SessionSettings(sessionLength, refresh, v, trustedProxies, revocationPollInterval);
  }

  public SessionSettings withTrustedProxies(List<String> v) {
    return new SessionSettings(sessionLength, refresh, throttle, v, revocationPollInterval);
  }

  public SessionSettings withRevocationPollInterval(Duration v) {
    return new SessionSettings(sessionLength, refresh, throttle, trustedProxies, v);
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
