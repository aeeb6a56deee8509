package dev.latchkey.server.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settings that shape state shared by every auth server instance and operator command: which
 * keys are made, how long they sign and stay published, and what the tokens name. Stored in the
 * database at the first start ({@link StoredPolicy}); every instance and command then acts under
 * it.
 *
 * @param algorithm signing algorithm of new keys
 * @param rotationPeriod how long a key signs
 * @param jwksMaxAge how long verifiers may cache the JWK Set (a next key is published this long
 *     before it signs)
 * @param sessionLength session token lifetime, which decides how long a retired key stays published
 * @param audience the {@code aud} claim
 * @param issuer the {@code iss} claim; {@code null} means the server's public URL
 */
public record KeyPolicy(
    String algorithm,
    Duration rotationPeriod,
    Duration jwksMaxAge,
    Duration sessionLength,
    String audience,
    String issuer) {

  public KeyPolicy {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(rotationPeriod, "rotationPeriod");
    Objects.requireNonNull(jwksMaxAge, "jwksMaxAge");
    Objects.requireNonNull(sessionLength, "sessionLength");
    Objects.requireNonNull(audience, "audience");
  }

  /**
   * What differs from {@code stored}, one phrase per setting, e.g. {@code algorithm ES256 (stored:
   * RS256)}; empty when nothing does.
   */
  public List<String> differencesFrom(KeyPolicy stored) {
    List<String> out = new ArrayList<>();
    compare(out, "algorithm", algorithm, stored.algorithm);
    compare(out, "rotation period", rotationPeriod, stored.rotationPeriod);
    compare(out, "JWKS max-age", jwksMaxAge, stored.jwksMaxAge);
    compare(out, "session length", sessionLength, stored.sessionLength);
    compare(out, "audience", audience, stored.audience);
    compare(out, "issuer", issuer, stored.issuer);
    return out;
  }

  /** The changes from {@code before} to this policy, e.g. {@code algorithm: RS256 -> ES256}. */
  public List<String> changesFrom(KeyPolicy before) {
    List<String> out = new ArrayList<>();
    change(out, "algorithm", before.algorithm, algorithm);
    change(out, "rotation period", before.rotationPeriod, rotationPeriod);
    change(out, "JWKS max-age", before.jwksMaxAge, jwksMaxAge);
    change(out, "session length", before.sessionLength, sessionLength);
    change(out, "audience", before.audience, audience);
    change(out, "issuer", before.issuer, issuer);
    return out;
  }

  /** One line per setting, for {@code latchkey keys policy}. */
  public List<String> describe() {
    return List.of(
        "algorithm:       " + algorithm,
        "rotation period: " + show(rotationPeriod),
        "JWKS max-age:    " + show(jwksMaxAge),
        "session length:  " + show(sessionLength),
        "audience:        " + audience,
        "issuer:          " + show(issuer));
  }

  private static void compare(List<String> out, String name, Object mine, Object stored) {
    if (!Objects.equals(mine, stored)) {
      out.add(name + " " + show(mine) + " (stored: " + show(stored) + ")");
    }
  }

  private static void change(List<String> out, String name, Object before, Object after) {
    if (!Objects.equals(before, after)) {
      out.add(name + ": " + show(before) + " -> " + show(after));
    }
  }

  /** A value as the policy lines show it: {@code 1h}, {@code 30s}, or the text. */
  public static String show(Object value) {
    if (value == null) {
      return "the public URL";
    }
    if (value instanceof Duration d) {
      return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
    return value.toString();
  }
}
