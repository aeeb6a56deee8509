package dev.latchkey.cli;

import dev.latchkey.server.AuthStore;
import dev.latchkey.verifier.Defaults;
import java.time.Duration;

/**
 * The line {@code keys revoke} and {@code sessions revoke} print: within how long verifiers refuse
 * the affected tokens, and what that assumes.
 */
final class RevocationBound {
  private RevocationBound() {}

  /**
   * Verifier poll interval (the verifier's default, which the CLI cannot see) + the feed's {@code
   * max-age} (the auth server's poll interval setting as this command sees it).
   */
  static Duration of(AuthStore store) {
    return Defaults.REVOCATION_POLL_INTERVAL.plus(feedMaxAge(store));
  }

  private static Duration feedMaxAge(AuthStore store) {
    return store.config().sessions().revocationPollInterval();
  }

  /** For a revoked key: also when a verifier without the feed drops it (its JWKS cache ends). */
  static String forKey(AuthStore store) {
    return line(
        store,
        "its tokens",
        "a verifier without the feed when its JWK Set cache ends, within the JWKS max-age of "
            + seconds(store.keys().jwksMaxAge()));
  }

  /** For revoked sessions: a verifier without the feed accepts their tokens until they expire. */
  static String forSessions(AuthStore store) {
    return line(store, "their tokens", "a verifier without the feed only once the tokens expire");
  }

  private static String line(AuthStore store, String what, String withoutFeed) {
    return "Verifiers refuse "
        + what
        + " within "
        + seconds(of(store))
        + " (assuming they poll GET /api/revocations every "
        + seconds(Defaults.REVOCATION_POLL_INTERVAL)
        + ", the verifier default, and the feed's max-age is "
        + seconds(feedMaxAge(store))
        + ", the auth server's --revocation-poll-interval as configured here; "
        + withoutFeed
        + ")";
  }

  private static String seconds(Duration d) {
    return d.toSeconds() + " s";
  }
}
