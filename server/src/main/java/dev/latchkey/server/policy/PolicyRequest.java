package dev.latchkey.server.policy;

import java.time.Duration;
import java.util.Optional;

/**
 * The key policy settings an operator asked for; a {@code null} field was not asked for and takes
 * the stored value (or, at the first start, the default). The issuer is an {@link Optional}: {@code
 * null} not asked for, empty asked for "the public URL".
 */
public record PolicyRequest(
    String algorithm,
    Duration rotationPeriod,
    Duration jwksMaxAge,
    Duration sessionLength,
    String audience,
    Optional<String> issuer) {

  /** Every setting asked for explicitly: a programmatic configuration. */
  public static PolicyRequest exactly(KeyPolicy policy) {
    return new PolicyRequest(
        policy.algorithm(),
        policy.rotationPeriod(),
        policy.jwksMaxAge(),
        policy.sessionLength(),
        policy.audience(),
        Optional.ofNullable(policy.issuer()));
  }

  /** Nothing asked for: act under the stored policy. */
  public static PolicyRequest none() {
    return new PolicyRequest(null, null, null, null, null, null);
  }

  /** Whether any setting was asked for. */
  public boolean isEmpty() {
    return equals(none());
  }

  /** {@code base} with every asked-for setting replaced. */
  public KeyPolicy over(KeyPolicy base) {
    return new KeyPolicy(
        algorithm != null ? algorithm.toUpperCase(java.util.Locale.ROOT) : base.algorithm(),
        rotationPeriod != null ? rotationPeriod : base.rotationPeriod(),
        jwksMaxAge != null ? jwksMaxAge : base.jwksMaxAge(),
        sessionLength != null ? sessionLength : base.sessionLength(),
        audience != null ? audience : base.audience(),
        issuer != null ? issuer.map(PolicyRequest::trimSlash).orElse(null) : base.issuer());
  }

  private static String trimSlash(String issuer) {
    return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
  }
}
