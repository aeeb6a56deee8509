package dev.latchkey.server.sessions;

import dev.latchkey.server.throttle.ClientAddress;
import dev.latchkey.server.throttle.ThrottleSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Server-side sessions, refresh, brute-force throttling and the revocation feed: one component of
 * {@link dev.latchkey.server.AuthServerConfig} (see its {@code withRefresh}, {@code withThrottle},
 * {@code withTrustedProxies} and {@code withRevocationPollInterval}).
 *
 * @param refresh refresh sessions; {@link RefreshSettings#OFF} by default
 * @param throttle brute-force throttling of logins; on by default
 * @param trustedProxies addresses ({@code 10.0.0.1}) or CIDR ranges ({@code 10.0.0.0/8}) of reverse
 *     proxies whose {@code X-Forwarded-For} is believed; empty (default) means the socket address
 *     is the client address
 * @param revocationPollInterval {@code Cache-Control: max-age} of {@code GET /api/revocations}, and
 *     the poll interval recommended to verifiers (default 30 s)
 */
public record SessionSettings(
    RefreshSettings refresh,
    ThrottleSettings throttle,
    List<String> trustedProxies,
    Duration revocationPollInterval) {

  public SessionSettings {
    Objects.requireNonNull(refresh, "refresh");
    Objects.requireNonNull(throttle, "throttle");
    trustedProxies = List.copyOf(Objects.requireNonNull(trustedProxies, "trustedProxies"));
    for (String proxy : trustedProxies) {
      ClientAddress.parseRange(proxy); // refuses a malformed entry at start
    }
    Objects.requireNonNull(revocationPollInterval, "revocationPollInterval");
    if (revocationPollInterval.isNegative() || revocationPollInterval.isZero()) {
      throw new IllegalArgumentException("revocationPollInterval must be positive");
    }
  }

  /** Refresh off, throttling on with its defaults, no trusted proxy, 30 s revocation polling. */
  public static SessionSettings defaults() {
    return new SessionSettings(
        RefreshSettings.OFF, ThrottleSettings.defaults(), List.of(), Duration.ofSeconds(30));
  }

  public SessionSettings withRefresh(RefreshSettings v) {
    return new SessionSettings(v, throttle, trustedProxies, revocationPollInterval);
  }

  public SessionSettings withThrottle(ThrottleSettings v) {
    return new SessionSettings(refresh, v, trustedProxies, revocationPollInterval);
  }

  public SessionSettings withTrustedProxies(List<String> v) {
    return new SessionSettings(refresh, throttle, v, revocationPollInterval);
  }

  public SessionSettings withRevocationPollInterval(Duration v) {
    return new SessionSettings(refresh, throttle, trustedProxies, v);
  }
}
