package dev.latchkey.server.throttle;

import java.time.Duration;
import java.util.Objects;

/**
 * Brute-force throttling of logins, counted in the database. After {@code accountThreshold}
 * failures for one account (or {@code ipThreshold} from one client address), each further failure
 * locks that account (address) for {@code baseDelay}, doubling per failure up to {@code maxDelay}.
 * Failures are forgotten {@code window} after the last failure or lock, whichever ends later.
 *
 * @param enabled on by default
 * @param accountThreshold failures per account before the first lock (default 5)
 * @param ipThreshold failures per client address before the first lock (default 20)
 * @param window how long failures are remembered (default 15 min)
 * @param baseDelay the first lock (default 1 s)
 * @param maxDelay the longest lock (default 15 min); every lock ends
 * @param deviceThreshold failures with one valid device cookie before that device is locked
 *     (default 3); such attempts are judged by that device's counter alone, neither the account's
 *     nor the client address's
 */
public record ThrottleSettings(
    boolean enabled,
    int accountThreshold,
    int ipThreshold,
    Duration window,
    Duration baseDelay,
    Duration maxDelay,
    int deviceThreshold) {

  /** The default device threshold. */
  public static final int DEFAULT_DEVICE_THRESHOLD = 3;

  public ThrottleSettings(
      boolean enabled,
      int accountThreshold,
      int ipThreshold,
      Duration window,
      Duration baseDelay,
      Duration maxDelay) {
    this(
        enabled,
        accountThreshold,
        ipThreshold,
        window,
        baseDelay,
        maxDelay,
        DEFAULT_DEVICE_THRESHOLD);
  }

  public ThrottleSettings {
    if (accountThreshold < 1 || ipThreshold < 1 || deviceThreshold < 1) {
      throw new IllegalArgumentException("throttle thresholds must be at least 1");
    }
    for (Duration d : new Duration[] {window, baseDelay, maxDelay}) {
      Objects.requireNonNull(d, "throttle durations");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("throttle durations must be positive");
      }
    }
    if (baseDelay.toMillis() < 1000 || maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException("throttle delays: 1 s <= baseDelay <= maxDelay");
    }
  }

  /** 5 per account, 20 per address, 15 min window, 1 s doubling to 15 min. */
  public static ThrottleSettings defaults() {
    return new ThrottleSettings(
        true, 5, 20, Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofMinutes(15));
  }

  /** No throttling (tests, or a deployment that throttles at its proxy). */
  public static ThrottleSettings off() {
    return new ThrottleSettings(
        false, 5, 20, Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofMinutes(15));
  }

  public ThrottleSettings withThresholds(int perAccount, int perIp) {
    return new ThrottleSettings(
        enabled, perAccount, perIp, window, baseDelay, maxDelay, deviceThreshold);
  }

  public ThrottleSettings withDeviceThreshold(int perDevice) {
    return new ThrottleSettings(
        enabled, accountThreshold, ipThreshold, window, baseDelay, maxDelay, perDevice);
  }

  public ThrottleSettings withDelays(Duration base, Duration max) {
    return new ThrottleSettings(
        enabled, accountThreshold, ipThreshold, window, base, max, deviceThreshold);
  }

  public ThrottleSettings withWindow(Duration v) {
    return new ThrottleSettings(
        enabled, accountThreshold, ipThreshold, v, baseDelay, maxDelay, deviceThreshold);
  }
}
