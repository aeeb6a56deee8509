package dev.latchkey.verifier.internal.fetch;

import java.time.Duration;

/**
 * Counters of a key source or revocation source, for the verifier's metrics.
 *
 * @param fetchesOk successful fetches (0 for sources that do not fetch)
 * @param fetchesFailed failed fetches
 * @param entries keys or revoked sessions held
 * @param age time since the request of the held document was sent; null when nothing was fetched
 */
public record SourceStats(long fetchesOk, long fetchesFailed, int entries, Duration age) {

  /** A source that holds {@code entries} without fetching. */
  public static SourceStats held(int entries) {
    return new SourceStats(0, 0, entries, null);
  }
}
