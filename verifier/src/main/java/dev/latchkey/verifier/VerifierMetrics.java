package dev.latchkey.verifier;

import java.time.Duration;
import java.util.Map;

/**
 * A snapshot of the verifier's counters, cheap to take (for a /metrics or health endpoint).
 *
 * @param accepted tokens accepted (including cache hits)
 * @param rejected tokens rejected, by wire code (every reason present, zero when none)
 * @param cacheHits accepted tokens answered from the verified-token cache
 * @param jwksFetchesOk successful JWK Set fetches (0 for static key sources)
 * @param jwksFetchesFailed failed JWK Set fetches (refused, 5xx, timeout, garbage, empty, too big)
 * @param keysHeld number of verification keys currently held
 * @param keysAge time since the held keys were fetched; null for static sources or before the first
 *     successful fetch
 * @param revocationPollsOk successful revocation feed polls (0 without a feed)
 * @param revocationPollsFailed failed revocation feed polls (refused, non-200, timeout, too big,
 *     not JSON, wrong shape)
 * @param revokedSessionsHeld revoked session ids and signing key ids currently held from the feed
 * @param revocationFeedAge time since the request of the last successful poll was sent, by the
 *     monotonic ticker (never negative, whatever the wall clock does); null without a feed or
 *     before the first successful poll (alert when it grows well beyond poll interval + max-age:
 *     the revocation bound no longer holds)
 * @param revocationCursor the feed cursor of the last successful poll (the auth server's revocation
 *     sequence number); -1 without a feed or before the first successful poll
 */
public record VerifierMetrics(
    long accepted,
    Map<String, Long> rejected,
    long cacheHits,
    long jwksFetchesOk,
    long jwksFetchesFailed,
    int keysHeld,
    Duration keysAge,
    long revocationPollsOk,
    long revocationPollsFailed,
    int revokedSessionsHeld,
    Duration revocationFeedAge,
    long revocationCursor) {

  /** Total rejections over all reasons. */
  public long rejectedTotal() {
    return rejected.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Rejections for one reason. */
  public long rejected(RejectionReason reason) {
    return rejected.getOrDefault(reason.code(), 0L);
  }
}
