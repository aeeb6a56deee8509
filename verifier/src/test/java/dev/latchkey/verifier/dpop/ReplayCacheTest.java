package dev.latchkey.verifier.dpop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.testing.MutableTicker;
import dev.latchkey.verifier.dpop.DpopReplayStore.Use;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The per-instance replay cache on its own: a use is FIRST, REPLAYED or FULL exactly as a map of
 * the live identifiers says, whatever the index's collisions, growth and deletions. The verifier's
 * answers to those (401, 503) are DpopVerifierTest's.
 */
class ReplayCacheTest {
  private static final Duration LIFETIME = Duration.ofSeconds(120);
  private final MutableTicker ticker = new MutableTicker();

  private ReplayCache cache(int maxEntries) {
    return new ReplayCache(maxEntries, LIFETIME.toNanos(), ticker);
  }

  @Test
  void aReplayIsRefusedForTheLifetimeAndItsEntryFreedAfter() {
    ReplayCache cache = cache(10);
    String id = "thumbprint jti-1";

    assertThat(cache.use(id)).isEqualTo(Use.FIRST);
    assertThat(cache.use(id)).isEqualTo(Use.REPLAYED);
    assertThat(cache.use("thumbprint jti-2")).isEqualTo(Use.FIRST);
    assertThat(cache.use("thumbprint jti-1 ")).as("another id").isEqualTo(Use.FIRST);
    ticker.advance(LIFETIME.minusNanos(1));
    assertThat(cache.use(id)).isEqualTo(Use.REPLAYED);
    assertThat(cache.size()).isEqualTo(3);
    ticker.advance(Duration.ofNanos(1));
    assertThat(cache.use(id)).as("expired, so new again").isEqualTo(Use.FIRST);
    assertThat(cache.size()).as("the three expired entries dropped, one added").isEqualTo(1);
  }

  @Test
  void idsDifferingOnlyInLoneSurrogatesAreDistinct() {
    ReplayCache cache = cache(10);

    assertThat(cache.use("t \uD800")).isEqualTo(Use.FIRST);
    assertThat(cache.use("t \uDC00")).isEqualTo(Use.FIRST);
    assertThat(cache.use("t ?")).isEqualTo(Use.FIRST);
    assertThat(cache.use("t \uD800")).isEqualTo(Use.REPLAYED);
  }

  @Test
  void fullOfLiveEntriesItRefusesNewOnesStillKnowsReplaysAndTakesNewOnesAsEntriesExpire() {
    ReplayCache cache = cache(3);
    for (int i = 0; i < 3; i++) {
      assertThat(cache.use("id " + i)).isEqualTo(Use.FIRST);
      ticker.advance(Duration.ofSeconds(10));
    }

    assertThat(cache.use("id 3")).isEqualTo(Use.FULL);
    assertThat(cache.use("id 0")).as("a replay, even when full").isEqualTo(Use.REPLAYED);
    ticker.advance(Duration.ofSeconds(90)); // id 0 expires (held since 0 s, now 120 s)
    assertThat(cache.use("id 3")).isEqualTo(Use.FIRST);
    assertThat(cache.use("id 4")).isEqualTo(Use.FULL);
    assertThat(cache.use("id 1")).isEqualTo(Use.REPLAYED);
    ticker.advance(LIFETIME);
    assertThat(cache.use("id 4")).isEqualTo(Use.FIRST);
    assertThat(cache.use("id 1")).isEqualTo(Use.FIRST);
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void itGrowsUpToTheBoundAndKeepsEveryEntryAcrossTheRingsWrap() {
    int max = 1_000; // beyond the initial capacity, not a power of two
    ReplayCache cache = cache(max);
    for (int i = 0; i < max; i++) {
      assertThat(cache.use("old " + i)).isEqualTo(Use.FIRST);
      if (i == max / 2) {
        ticker.advance(Duration.ofSeconds(60));
      }
    }
    assertThat(cache.use("one more")).isEqualTo(Use.FULL);
    ticker.advance(Duration.ofSeconds(60)); // the first 501 expire
    for (int i = 0; i < 501; i++) {
      assertThat(cache.use("new " + i)).isEqualTo(Use.FIRST);
    }

    assertThat(cache.use("one more")).isEqualTo(Use.FULL);
    for (int i = 0; i < max; i++) {
      assertThat(cache.use((i <= max / 2 ? "new " : "old ") + i)).isEqualTo(Use.REPLAYED);
    }
    assertThat(cache.use("old 0")).isEqualTo(Use.FULL);
  }

  /**
   * Index of 16 slots (8 entries at most); homes 14, 15, 14, 0, 1 fill slots 14, 15, 0, 1, 2 (a run
   * across the end). When the first expires, the second stays (it is at its home) but the third
   * must move back over it into the hole, and the rest after it: stopping at the second would leave
   * the third unreachable, and its replay taken as new.
   */
  @Test
  void anExpiryInTheMiddleOfAProbeRunKeepsEveryEntryBehindItReachable() {
    ReplayCache cache = cache(8);
    long[][] entries = {{1, 14}, {2, 15}, {3, 14 + 16}, {4, 0}, {5, 1 + 32}};
    for (long[] e : entries) {
      assertThat(cache.use(e[0], e[1])).isEqualTo(Use.FIRST);
      ticker.advance(Duration.ofSeconds(1));
    }

    ticker.advance(LIFETIME.minusSeconds(5)); // the first expires
    assertThat(cache.use(9, 7)).isEqualTo(Use.FIRST);
    for (int i = 1; i < entries.length; i++) {
      assertThat(cache.use(entries[i][0], entries[i][1])).as("entry " + i).isEqualTo(Use.REPLAYED);
    }
    ticker.advance(Duration.ofSeconds(1)); // the second expires
    assertThat(cache.use(9, 7)).isEqualTo(Use.REPLAYED);
    for (int i = 2; i < entries.length; i++) {
      assertThat(cache.use(entries[i][0], entries[i][1])).as("entry " + i).isEqualTo(Use.REPLAYED);
    }
    assertThat(cache.use(entries[0][0], entries[0][1])).isEqualTo(Use.FIRST);
    assertThat(cache.use(entries[0][0] + 16, entries[0][1])).as("same lo").isEqualTo(Use.FIRST);
    assertThat(cache.size()).isEqualTo(6);
  }

  /**
   * Thousands of uses against a map of the live entries, with the time moving in bursts and lulls:
   * most homes crowd a few slots at both ends of the index (long runs across its end, growth,
   * deletions inside runs), some entries share their low half with another, and replays are of live
   * and of expired entries. After every use the answer and the size must be the model's, and now
   * and then every live entry must still be found.
   */
  @Test
  void usesAgreeWithAMapOfTheLiveEntriesUnderCollisionsExpiryAndGrowth() {
    SplittableRandom random = new SplittableRandom(20261207);
    Map<Use, Integer> answers = new EnumMap<>(Use.class);
    int expired = 0;
    for (int max : new int[] {1, 2, 7, 64, 300, 1_000}) {
      MutableTicker time = new MutableTicker();
      long lifetime = 1_000;
      ReplayCache cache = new ReplayCache(max, lifetime, time);
      Map<Key, Long> live = new HashMap<>();
      List<Key> seen = new ArrayList<>();
      long meanStep = 0;
      for (int op = 0; op < 30_000; op++) {
        if (op % 500 == 0) {
          long[] steps = {0, lifetime / max, 4 * lifetime / max, lifetime / 10};
          meanStep = steps[random.nextInt(steps.length)];
        }
        time.advance(Duration.ofNanos(meanStep == 0 ? 0 : random.nextLong(2 * meanStep + 1)));
        long now = time.getAsLong();
        int before = live.size();
        live.values().removeIf(expiresAt -> expiresAt - now <= 0);
        expired += before - live.size();

        Key key =
            seen.isEmpty() || random.nextInt(10) < 6 ? newKey(random, seen) : pick(random, seen);
        Use expected =
            live.containsKey(key) ? Use.REPLAYED : live.size() >= max ? Use.FULL : Use.FIRST;
        if (expected == Use.FIRST) {
          live.put(key, now + lifetime);
          seen.add(key);
        }
        assertThat(cache.use(key.hi, key.lo))
            .as("use %d of %s (max %d)", op, key, max)
            .isEqualTo(expected);
        assertThat(cache.size()).isEqualTo(live.size());
        answers.merge(expected, 1, Integer::sum);
        if (op % 997 == 0) {
          for (Key held : live.keySet()) {
            assertThat(cache.use(held.hi, held.lo)).as("held %s", held).isEqualTo(Use.REPLAYED);
          }
        }
      }
    }
    assertThat(answers)
        .as("each answer, many times")
        .hasSize(3)
        .allSatisfy((use, n) -> assertThat(n).isGreaterThan(5_000));
    assertThat(expired).isGreaterThan(10_000);
  }

  private record Key(long hi, long lo) {}

  /** Mostly homes near both ends of whatever the index's size (its low 20 bits). */
  private static Key newKey(SplittableRandom random, List<Key> seen) {
    long hi = random.nextLong();
    int kind = random.nextInt(10);
    if (kind == 0 && !seen.isEmpty()) {
      return new Key(hi, pick(random, seen).lo);
    }
    if (kind < 3) {
      return new Key(hi, random.nextLong());
    }
    long low = random.nextBoolean() ? random.nextInt(4) : (1 << 20) - 1 - random.nextInt(4);
    return new Key(hi, random.nextLong() << 20 | low);
  }

  private static Key pick(SplittableRandom random, List<Key> seen) {
    return seen.get(seen.size() - 1 - random.nextInt(Math.min(seen.size(), 2_000)));
  }

  @Test
  void aBoundBeyondTheLargestIndexIsRefusedWhenItIsSet() {
    DpopProofChecker.Builder b = DpopProofChecker.builder();

    assertThatThrownBy(() -> b.replayCacheSize(ReplayCache.MAX_ENTRIES + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("536870912");
    assertThat(cache(ReplayCache.MAX_ENTRIES).use("id")).isEqualTo(Use.FIRST);
  }
}
