package dev.latchkey.bench.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every answer's latency, by kind of request and by second of the run (the second it completed),
 * kept until the end: a 10-minute soak at a few thousand requests/s is a few tens of MB.
 */
final class Recorder {
  private final long startNanos;
  private final Map<String, Map<Integer, Bucket>> kinds = new ConcurrentHashMap<>();

  Recorder(long startNanos) {
    this.startNanos = startNanos;
  }

  /** The latencies and failures of one kind in one second. */
  private static final class Bucket {
    private long[] micros = new long[64];
    private int count;
    private int failures;

    synchronized void add(long latencyMicros, boolean ok) {
      if (count == micros.length) {
        micros = Arrays.copyOf(micros, count * 2);
      }
      micros[count++] = latencyMicros;
      if (!ok) {
        failures++;
      }
    }

    synchronized long[] sorted() {
      long[] copy = Arrays.copyOf(micros, count);
      Arrays.sort(copy);
      return copy;
    }

    synchronized int failures() {
      return failures;
    }
  }

  /** One kind, one second (or a range of seconds, for summaries). */
  record Row(int second, String kind, int count, int failures, double p50Ms, double p99Ms) {}

  long startNanos() {
    return startNanos;
  }

  void record(String kind, long endNanos, long latencyNanos, boolean ok) {
    int second = (int) ((endNanos - startNanos) / 1_000_000_000L);
    kinds
        .computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(second, s -> new Bucket())
        .add(latencyNanos / 1000, ok);
  }

  /** Per kind and second, in order of second then kind. */
  List<Row> perSecond() {
    List<Row> rows = new ArrayList<>();
    for (var kind : new TreeMap<>(kinds).entrySet()) {
      for (var second : new TreeMap<>(kind.getValue()).entrySet()) {
        long[] sorted = second.getValue().sorted();
        rows.add(
            new Row(
                second.getKey(),
                kind.getKey(),
                sorted.length,
                second.getValue().failures(),
                percentile(sorted, 50) / 1000.0,
                percentile(sorted, 99) / 1000.0));
      }
    }
    rows.sort(
        (a, b) ->
            a.second() != b.second() ? a.second() - b.second() : a.kind().compareTo(b.kind()));
    return rows;
  }

  /** One kind over seconds [from, to): the count is a total, the percentiles of all its answers. */
  Row summary(String kind, int from, int to) {
    Map<Integer, Bucket> seconds = kinds.getOrDefault(kind, Map.of());
    long[] all = new long[0];
    int failures = 0;
    for (var e : seconds.entrySet()) {
      if (e.getKey() >= from && e.getKey() < to) {
        long[] s = e.getValue().sorted();
        long[] merged = Arrays.copyOf(all, all.length + s.length);
        System.arraycopy(s, 0, merged, all.length, s.length);
        all = merged;
        failures += e.getValue().failures();
      }
    }
    Arrays.sort(all);
    return new Row(
        from,
        kind,
        all.length,
        failures,
        percentile(all, 50) / 1000.0,
        percentile(all, 99) / 1000.0);
  }

  List<String> kinds() {
    return new ArrayList<>(new TreeMap<>(kinds).keySet());
  }

  /** Nearest rank; 0 for no samples. */
  static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
