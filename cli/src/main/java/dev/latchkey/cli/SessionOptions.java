package dev.latchkey.cli;

import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.server.sessions.SessionSettings;
import dev.latchkey.server.throttle.ThrottleSettings;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** Server-side sessions of {@code serve}: refresh, brute-force throttling, revocation feed. */
final class SessionOptions {

  @Option(
      names = "--refresh",
      defaultValue = "false",
      fallbackValue = "true",
      arity = "0..1",
      description =
          "Refresh sessions: short access tokens plus a rotating refresh cookie; replaces"
              + " --session-length (LATCHKEY_REFRESH). Default: ${DEFAULT-VALUE}.")
  boolean refresh;

  @Option(
      names = "--access-token-length",
      defaultValue = "15m",
      converter = DurationConverter.class,
      description =
          "With --refresh: the token lifetime (LATCHKEY_ACCESS_TOKEN_LENGTH)."
              + " Default: ${DEFAULT-VALUE}.")
  Duration accessTokenLength;

  @Option(
      names = "--refresh-idle",
      defaultValue = "1d",
      converter = DurationConverter.class,
      description =
          "With --refresh: a session not refreshed this long ends (LATCHKEY_REFRESH_IDLE)."
              + " Default: ${DEFAULT-VALUE}.")
  Duration refreshIdle;

  @Option(
      names = "--refresh-absolute",
      defaultValue = "7d",
      converter = DurationConverter.class,
      description =
          "With --refresh: a session ends this long after login (LATCHKEY_REFRESH_ABSOLUTE)."
              + " Default: ${DEFAULT-VALUE}.")
  Duration refreshAbsolute;

  @Option(
      names = "--refresh-reuse-grace",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "With --refresh: a spent refresh token presented again within this gets the current"
              + " pair instead of revoking the session (LATCHKEY_REFRESH_REUSE_GRACE)."
              + " Default: ${DEFAULT-VALUE}.")
  Duration refreshReuseGrace;

  @Option(
      names = "--throttle",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Brute-force throttling of logins; --no-throttle turns it off"
              + " (LATCHKEY_THROTTLE=false). Default: on.")
  boolean throttle;

  @Option(
      names = "--throttle-account",
      defaultValue = "5",
      description =
          "Failures per account before the first lock (LATCHKEY_THROTTLE_ACCOUNT)."
              + " Default: ${DEFAULT-VALUE}.")
  int throttleAccount;

  @Option(
      names = "--throttle-ip",
      defaultValue = "20",
      description =
          "Failures per client address before the first lock (LATCHKEY_THROTTLE_IP)."
              + " Default: ${DEFAULT-VALUE}.")
  int throttleIp;

  @Option(
      names = "--throttle-window",
      defaultValue = "15m",
      converter = DurationConverter.class,
      description =
          "Failures are forgotten this long after the last one or the lock's end"
              + " (LATCHKEY_THROTTLE_WINDOW). Default: ${DEFAULT-VALUE}.")
  Duration throttleWindow;

  @Option(
      names = "--throttle-delay",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description =
          "The first lock, doubling per further failure (LATCHKEY_THROTTLE_DELAY)."
              + " Default: ${DEFAULT-VALUE}.")
  Duration throttleDelay;

  @Option(
      names = "--throttle-max-delay",
      defaultValue = "15m",
      converter = DurationConverter.class,
      description = "The longest lock (LATCHKEY_THROTTLE_MAX_DELAY). Default: ${DEFAULT-VALUE}.")
  Duration throttleMaxDelay;

  @Option(
      names = "--trusted-proxy",
      split = ",",
      paramLabel = "ADDRESS",
      description =
          "Reverse proxy address or CIDR range whose X-Forwarded-For is believed; repeatable"
              + " (LATCHKEY_TRUSTED_PROXY, comma-separated). Default: none.")
  List<String> trustedProxies = List.of();

  @Option(
      names = "--revocation-poll-interval",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "max-age of GET /api/revocations and the poll interval advised to verifiers"
              + " (LATCHKEY_REVOCATION_POLL_INTERVAL). Default: ${DEFAULT-VALUE}.")
  Duration revocationPollInterval;

  /** The session settings these options name, with tokens of {@code sessionLength}. */
  SessionSettings settings(Duration sessionLength) {
    return new SessionSettings(
        sessionLength,
        refresh ? refresh() : RefreshSettings.OFF,
        throttle(),
        trustedProxies,
        revocationPollInterval);
  }

  private ThrottleSettings throttle() {
    if (!throttle) {
      return ThrottleSettings.off();
    }
    try {
      return ThrottleSettings.defaults()
          .withThresholds(throttleAccount, throttleIp)
          .withWindow(throttleWindow)
          .withDelays(throttleDelay, throttleMaxDelay);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--throttle-account/-ip/-window/-delay/-max-delay: " + e.getMessage(), e);
    }
  }

  private RefreshSettings refresh() {
    try {
      return RefreshSettings.on(accessTokenLength, refreshIdle, refreshAbsolute)
          .withReuseGrace(refreshReuseGrace);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--access-token-length/--refresh-idle/-absolute/-reuse-grace: " + e.getMessage(), e);
    }
  }
}
