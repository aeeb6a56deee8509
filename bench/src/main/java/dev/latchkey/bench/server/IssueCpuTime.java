package dev.latchkey.bench.server;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@link IssueBenchmark} operations timed by the calling thread's CPU time instead of the wall
 * clock, in short blocks that alternate between the operations, so that work from other processes
 * on the same cores (which stretches wall-clock time unevenly from one benchmark to the next)
 * hardly moves the ratios. Embedded H2 runs its queries on the calling thread, so the database
 * reads are counted; the garbage collector's own threads are not (RSA signing allocates little).
 *
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar dev.latchkey.bench.server.IssueCpuTime --rounds 15 --block 100
 * }</pre>
 */
public final class IssueCpuTime {
  /** One operation's median CPU time per call, and its ratio to raw JCA signing. */
  public record Row(String name, double cpuMicros, double rawRatio) {}

  private interface Op {
    Object run() throws Exception;
  }

  private IssueCpuTime() {}

  public static void main(String[] args) throws Exception {
    int rounds = 15;
    int block = 100;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--block" -> block = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("use --rounds N --block N");
      }
    }
    List<Row> rows = run(rounds, block, 3);
    System.out.printf(
        Locale.ROOT,
        "%nCPU time per call, median of %d alternating blocks of %d calls; %d cores; load average"
            + " %s%n%n",
        rounds,
        block,
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    System.out.println("| operation | CPU µs per call | raw JCA ÷ this (throughput ratio) |");
    System.out.println("| --- | --- | --- |");
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT, "| `%s` | %.1f | %.3f |%n", r.name(), r.cpuMicros(), r.rawRatio());
    }
  }

  /**
   * Warms every operation up with {@code warmupRounds} unmeasured rounds, then measures {@code
   * rounds} rounds of {@code block} calls each.
   */
  public static List<Row> run(int rounds, int block, int warmupRounds) throws Exception {
    IssueBenchmark b = new IssueBenchmark();
    b.setUp();
    try {
      Map<String, Op> ops = new LinkedHashMap<>();
      ops.put("rawJcaSign", b::rawJcaSign);
      ops.put("issuerSigner", b::issuerSigner);
      ops.put("tokenIssuerIssue", b::tokenIssuerIssue);
      ops.put("loginMinusHash", b::loginMinusHash);
      ops.put("activeKeyLookup", b::activeKeyLookup);
      ops.put("throttleReserveAndSucceed", b::throttleReserveAndSucceed);
      ops.put("userLookup", b::userLookup);
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      Map<String, long[]> samples = new LinkedHashMap<>();
      ops.keySet().forEach(k -> samples.put(k, new long[rounds]));
      for (int r = -warmupRounds; r < rounds; r++) {
        for (Map.Entry<String, Op> e : ops.entrySet()) {
          long t0 = mx.getCurrentThreadCpuTime();
          for (int i = 0; i < block; i++) {
            if (e.getValue().run() == null) {
              throw new IllegalStateException(e.getKey() + " returned nothing");
            }
          }
          long spent = mx.getCurrentThreadCpuTime() - t0;
          if (r >= 0) {
            samples.get(e.getKey())[r] = spent;
          }
        }
      }
      double raw = medianMicros(samples.get("rawJcaSign"), block);
      List<Row> rows = new ArrayList<>();
      for (Map.Entry<String, long[]> e : samples.entrySet()) {
        double us = medianMicros(e.getValue(), block);
        rows.add(new Row(e.getKey(), us, raw / us));
      }
      return rows;
    } finally {
      b.tearDown();
    }
  }

  private static double medianMicros(long[] blockNanos, int block) {
    long[] sorted = blockNanos.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    return median / block / 1000.0;
  }

  private static String loadAverage() {
    try {
      String[] parts =
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
