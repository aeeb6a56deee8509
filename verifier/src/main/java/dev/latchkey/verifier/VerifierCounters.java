package dev.latchkey.verifier;

import dev.latchkey.verifier.internal.fetch.SourceStats;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The verifier's own counters; {@link #snapshot} adds those of its key and revocation sources. */
final class VerifierCounters {
  private final LongAdder accepted = new LongAdder();
  private final LongAdder cacheHits = new LongAdder();
  private final Map<RejectionReason, LongAdder> rejected = new EnumMap<>(RejectionReason.class);

  VerifierCounters() {
    for (RejectionReason r : RejectionReason.values()) {
      rejected.put(r, new LongAdder());
    }
  }

  void accepted() {
    accepted.increment();
  }

  void cacheHit() {
    cacheHits.increment();
  }

  void rejected(RejectionReason reason) {
    rejected.get(reason).increment();
  }

  VerifierMetrics snapshot(SourceStats keys, SourceStats revocations, long revocationCursor) {
    Map<String, Long> byReason = new LinkedHashMap<>();
    for (Map.Entry<RejectionReason, LongAdder> e : rejected.entrySet()) {
      byReason.put(e.getKey().code(), e.getValue().sum());
    }
    return new VerifierMetrics(
        accepted.sum(),
        Collections.unmodifiableMap(byReason),
        cacheHits.sum(),
        keys.fetchesOk(),
        keys.fetchesFailed(),
        keys.entries(),
        keys.age(),
        revocations.fetchesOk(),
        revocations.fetchesFailed(),
        revocations.entries(),
        revocations.age(),
        revocationCursor);
  }
}
