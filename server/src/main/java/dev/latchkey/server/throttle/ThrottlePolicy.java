package dev.latchkey.server.throttle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The throttle's decision as a pure function of the counter rows an attempt is judged by, the
 * attempt and the time; {@link LoginThrottle} reads the rows under their locks and applies what
 * this returns.
 *
 * <ul>
 *   <li>An attempt is judged by its account's counter and its client address's counter; with a
 *       valid device cookie for the account, by that device's counter alone (with its smaller
 *       threshold): neither an attacker elsewhere (the account) nor one behind the same address (a
 *       NAT, an office, a carrier) can lock the owner's browser out (OWASP "device cookies").
 *   <li>When one of them is locked now, the attempt is refused with the time left, and nothing is
 *       written.
 *   <li>Else each is counted as if the attempt had failed: below its threshold nothing is written
 *       as a lock (a place taken by an attempt that may well succeed must never read as a lock to
 *       the attempts beside it); from the threshold on, each failure locks for {@code baseDelay},
 *       doubling up to {@code maxDelay}. A row is forgotten {@code window} after its last failure
 *       or the end of its lock, whichever is later.
 * </ul>
 */
final class ThrottlePolicy {
  private final ThrottleSettings settings;

  ThrottlePolicy(ThrottleSettings settings) {
    this.settings = settings;
  }

  /** One counter an attempt is judged by: its key, threshold and whether a success clears it. */
  record Counter(String key, int threshold, boolean clearedBySuccess) {}

  /** A counter row as stored: failures counted, lock end and forget time (epoch millis). */
  record Row(int failures, long lockedUntil, long expiresAt) {
    static final Row EMPTY = new Row(0, 0, 0);
  }

  /** One counted place: the lock before it was taken and the lock it set. */
  record Place(Counter counter, long lockedBefore, long lockedAfter) {}

  /** The keys of one attempt; {@code device} is null without a valid device cookie. */
  record Attempt(String account, String address, String device) {}

  /** One counter counted by an admitted attempt: the row to write, and the place it holds. */
  record Count(Place place, Row written, boolean engaged) {}

  /** What to do with an attempt. */
  sealed interface Decision {
    /** A counter is locked: refuse, retry after this long, write nothing. */
    record Refuse(Duration retryAfter) implements Decision {}

    /**
     * Admit: write each count's row; {@code engaged} counts reached their threshold with this
     * attempt (a lock starts).
     */
    record Admit(List<Count> counts) implements Decision {
      public Admit {
        counts = List.copyOf(counts);
      }

      List<Place> places() {
        return counts.stream().map(Count::place).toList();
      }
    }
  }

  /** The counters an attempt is judged by, in key order (one lock order: no deadlock). */
  List<Counter> countersFor(Attempt attempt) {
    if (attempt.device() != null) {
      return List.of(new Counter(attempt.device(), settings.deviceThreshold(), true));
    }
    List<Counter> counters = new ArrayList<>(2);
    counters.add(new Counter(attempt.account(), settings.accountThreshold(), true));
    counters.add(new Counter(attempt.address(), settings.ipThreshold(), false));
    counters.sort(Comparator.comparing(Counter::key));
    return List.copyOf(counters);
  }

  /**
   * The decision on an attempt.
   *
   * @param counters from {@link #countersFor}
   * @param rows the stored row of each counter, in the same order
   * @param now read once the rows are locked
   */
  Decision decide(List<Counter> counters, List<Row> rows, long now) {
    if (counters.size() != rows.size()) {
      throw new IllegalArgumentException("one row per counter");
    }
    List<Row> current = rows.stream().map(row -> row.expiresAt() <= now ? Row.EMPTY : row).toList();
    long lockedUntil = current.stream().mapToLong(Row::lockedUntil).max().orElse(0);
    if (lockedUntil > now) {
      return new Decision.Refuse(Duration.ofMillis(lockedUntil - now));
    }
    List<Count> counts = new ArrayList<>(counters.size());
    for (int i = 0; i < counters.size(); i++) {
      Counter counter = counters.get(i);
      Row before = current.get(i);
      int failures = before.failures() + 1;
      Duration earned = lockAfter(failures, counter.threshold());
      long until =
          earned.isZero()
              ? before.lockedUntil()
              : Math.max(before.lockedUntil(), now + earned.toMillis());
      long expiresAt = Math.max(now, until) + settings.window().toMillis();
      counts.add(
          new Count(
              new Place(counter, before.lockedUntil(), until),
              new Row(failures, until, expiresAt),
              failures == counter.threshold()));
    }
    return new Decision.Admit(counts);
  }

  /** The lock after the {@code failures}-th failure: none below the threshold, then doubling. */
  Duration lockAfter(int failures, int threshold) {
    if (failures < threshold) {
      return Duration.ZERO;
    }
    int doublings = Math.min(failures - threshold, 40);
    long millis = settings.baseDelay().toMillis();
    long max = settings.maxDelay().toMillis();
    for (int i = 0; i < doublings && millis < max; i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, max));
  }
}
