package dev.latchkey.verifier.revocation;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the revocation feed is polled and held; see {@link dev.latchkey.verifier.Defaults} for the
 * defaults and their reasons.
 *
 * @param uri the feed, {@code {issuer}/api/revocations} (http or https); {@code since} is appended
 * @param pollInterval time between polls, on {@code clock}
 * @param retention how long a revoked sid is held after its revocation time
 * @param sinceOverlap subtracted from the previous response's {@code now} for the next {@code
 *     since}
 * @param connectTimeout connect timeout of one poll
 * @param readTimeout whole-response timeout of one poll
 * @param maxResponseBytes response body cap
 * @param maxJsonDepth JSON nesting bound, checked before parsing
 * @param backgroundCheck wall-clock upper bound between two "is a poll due" checks
 * @param clock the time source for due polls and retention
 */
public record RevocationSettings(
    URI uri,
    Duration pollInterval,
    Duration retention,
    Duration sinceOverlap,
    Duration connectTimeout,
    Duration readTimeout,
    int maxResponseBytes,
    int maxJsonDepth,
    Duration backgroundCheck,
    Clock clock) {

  public RevocationSettings {
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme();
    if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("revocation feed URL must be http or https");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException("revocation feed URL must not have a fragment");
    }
    positive(pollInterval, "pollInterval");
    positive(retention, "retention");
    positive(connectTimeout, "connectTimeout");
    positive(readTimeout, "readTimeout");
    positive(backgroundCheck, "backgroundCheck");
    Objects.requireNonNull(sinceOverlap, "sinceOverlap");
    Objects.requireNonNull(clock, "clock");
    if (sinceOverlap.isNegative()) {
      throw new IllegalArgumentException("sinceOverlap must be >= 0");
    }
    if (maxResponseBytes < 1 || maxJsonDepth < 1) {
      throw new IllegalArgumentException("revocation feed limits must be positive");
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
