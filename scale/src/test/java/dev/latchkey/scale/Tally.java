package dev.latchkey.scale;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests of one phase by window (a stretch of the phase: before and after a fault), operation and
 * outcome (the HTTP status, or {@code io-error}).
 */
final class Tally {

  /** What each operation answers when all is well. */
  static final Map<String, Integer> EXPECTED =
      Map.of(
          "login", 200,
          "refresh", 200,
          "logout", 204,
          "lessons", 200,
          "kept-refresh", 200,
          "kept-lessons", 200);

  private final String phase;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private volatile String window;

  Tally(String phase, String firstWindow) {
    this.phase = phase;
    this.window = firstWindow;
  }

  /** The window requests starting from now are counted in. */
  void window(String window) {
    this.window = window;
  }

  String window() {
    return window;
  }

  void record(String window, String operation, Api.Outcome outcome) {
    counts
        .computeIfAbsent(window + "|" + operation + "|" + outcome.label(), k -> new LongAdder())
        .increment();
  }

  /**
   * Requests in {@code window} (null: every window) of {@code operation} (null: every one) whose
   * outcome starts with {@code outcome} (null: any), e.g. {@code "503"}.
   */
  long count(String window, String operation, String outcome) {
    long n = 0;
    for (Map.Entry<String, LongAdder> e : counts.entrySet()) {
      String[] key = e.getKey().split("\\|");
      if ((window == null || key[0].equals(window))
          && (operation == null || key[1].equals(operation))
          && (outcome == null || key[2].startsWith(outcome))) {
        n += e.getValue().sum();
      }
    }
    return n;
  }

  /** Requests whose outcome is not what the operation answers when all is well. */
  long unexpected(String window) {
    long n = 0;
    for (Map.Entry<String, LongAdder> e : counts.entrySet()) {
      String[] key = e.getKey().split("\\|");
      if ((window == null || key[0].equals(window))
          && !String.valueOf(EXPECTED.get(key[1])).equals(key[2])) {
        n += e.getValue().sum();
      }
    }
    return n;
  }

  long total() {
    return count(null, null, null);
  }

  /** One line per window and operation: {@code outcome=count}, in order. */
  String report() {
    Map<String, Map<String, Long>> rows = new TreeMap<>();
    counts.forEach(
        (key, n) -> {
          String[] k = key.split("\\|");
          rows.computeIfAbsent(String.format("%-14s %-13s", k[0], k[1]), r -> new TreeMap<>())
              .put(k[2], n.sum());
        });
    StringBuilder out = new StringBuilder("  requests of phase '" + phase + "' by outcome:\n");
    rows.forEach((row, outcomes) -> out.append("    ").append(row).append(outcomes).append('\n'));
    return out.toString();
  }
}
