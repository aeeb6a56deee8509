package dev.latchkey.verifier.keys;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a JWK Set URL is fetched and held; see {@link dev.latchkey.verifier.Defaults} for the
 * defaults and their reasons.
 */
public record JwksSettings(
    URI uri,
    Duration cacheTtl,
    Duration refreshAhead,
    int maxKeys,
    int fetchesPerMinute,
    Duration connectTimeout,
    Duration readTimeout,
    int maxResponseBytes,
    Duration outageWindow,
    int maxJsonDepth,
    Duration backgroundCheck,
    Clock clock) {

  public JwksSettings {
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme();
    if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("JWKS URL must be http or https");
    }
    positive(cacheTtl, "cacheTtl");
    positive(connectTimeout, "connectTimeout");
    positive(readTimeout, "readTimeout");
    positive(backgroundCheck, "backgroundCheck");
    Objects.requireNonNull(refreshAhead, "refreshAhead");
    Objects.requireNonNull(outageWindow, "outageWindow");
    Objects.requireNonNull(clock, "clock");
    if (refreshAhead.isNegative() || refreshAhead.compareTo(cacheTtl) >= 0) {
      throw new IllegalArgumentException("refreshAhead must be >= 0 and shorter than cacheTtl");
    }
    if (outageWindow.isNegative()) {
      throw new IllegalArgumentException("outageWindow must be >= 0");
    }
    if (maxKeys < 1 || fetchesPerMinute < 1 || maxResponseBytes < 1 || maxJsonDepth < 1) {
      throw new IllegalArgumentException("JWKS limits must be positive");
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  /** The minimum spacing of fetches that the rate limit implies. */
  public Duration minFetchInterval() {
    return Duration.ofMillis(60_000L / fetchesPerMinute);
  }
}
