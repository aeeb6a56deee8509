package dev.latchkey.server.keys;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The signing keys and their rotation schedule.
 *
 * @param algorithm JWS algorithm of new signing keys: RS256, PS256 or ES256
 * @param rotationPeriod how long a key signs before the next one takes over
 * @param jwksMaxAge how long verifiers may cache the JWK Set ({@code Cache-Control: max-age}); a
 *     new key is published at least this long before it signs
 * @param clockSkew tolerance added before a retired key disappears from the JWK Set, and when the
 *     server checks its own tokens
 * @param rotationCheckInterval how often the server looks at the rotation schedule
 */
public record KeySettings(
    String algorithm,
    Duration rotationPeriod,
    Duration jwksMaxAge,
    Duration clockSkew,
    Duration rotationCheckInterval) {

  /** The algorithms a signing key may use. */
  public static final Set<String> ALGORITHMS = Set.of("RS256", "PS256", "ES256");

  public KeySettings {
    Objects.requireNonNull(algorithm, "algorithm");
    algorithm = algorithm.toUpperCase(Locale.ROOT);
    if (!ALGORITHMS.contains(algorithm)) {
      throw new IllegalArgumentException(
          "algorithm must be one of " + ALGORITHMS + ", got " + algorithm);
    }
    requirePositive(rotationPeriod, "rotationPeriod");
    requirePositive(jwksMaxAge, "jwksMaxAge");
    Objects.requireNonNull(clockSkew, "clockSkew");
    if (clockSkew.isNegative()) {
      throw new IllegalArgumentException("clockSkew must not be negative");
    }
    requirePositive(rotationCheckInterval, "rotationCheckInterval");
    if (rotationPeriod.compareTo(jwksMaxAge.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "rotationPeriod must be at least twice jwksMaxAge, so a next key can be published"
              + " before it signs");
    }
  }

  /** RS256, 30 day rotation, 1 h JWKS max-age, 1 min skew, checked every minute. */
  public static KeySettings defaults() {
    return new KeySettings(
        "RS256",
        Duration.ofDays(30),
        Duration.ofHours(1),
        Duration.ofMinutes(1),
        Duration.ofMinutes(1));
  }

  public KeySettings withAlgorithm(String v) {
    return new KeySettings(v, rotationPeriod, jwksMaxAge, clockSkew, rotationCheckInterval);
  }

  public KeySettings withJwksMaxAge(Duration v) {
    return new KeySettings(algorithm, rotationPeriod, v, clockSkew, rotationCheckInterval);
  }

  public KeySettings withRotationCheckInterval(Duration v) {
    return new KeySettings(algorithm, rotationPeriod, jwksMaxAge, clockSkew, v);
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
