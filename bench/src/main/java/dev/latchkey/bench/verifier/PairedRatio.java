package dev.latchkey.bench.verifier;

import com.nimbusds.jose.JOSEException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The full-verify ÷ raw-signature ratio measured paired and interleaved, for a shared, loaded
 * machine where JMH's separate, sequential runs see different loads: rounds alternate a batch of
 * raw Nimbus signature checks and a batch of full verifications (then cache hits) on the same
 * token, each timed in this thread's CPU time (time spent waiting for a core is not counted), and
 * the median of the per-round ratios is reported. Not a replacement for {@link VerifyBenchmark}: a
 * cross-check of its ratio.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar dev.latchkey.bench.verifier.PairedRatio [rounds]}
 */
public final class PairedRatio {
  private static final int BATCH = 200;
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private PairedRatio() {}

  public static void main(String[] args) throws JOSEException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    VerifierFixture f = new VerifierFixture();
    Object sink = null;
    for (int i = 0; i < 40; i++) { // warm-up: let the JIT compile all three paths
      raw(f);
      sink = full(f);
      sink = cached(f);
    }
    double[] fullRatio = new double[rounds];
    double[] cacheRatio = new double[rounds];
    double[] rawMicros = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long t0 = CPU.getCurrentThreadCpuTime();
      raw(f);
      long t1 = CPU.getCurrentThreadCpuTime();
      sink = full(f);
      long t2 = CPU.getCurrentThreadCpuTime();
      sink = cached(f);
      long t3 = CPU.getCurrentThreadCpuTime();
      fullRatio[r] = (double) (t1 - t0) / (t2 - t1); // throughput ratio: full ÷ raw
      cacheRatio[r] = (double) (t3 - t2) / (t2 - t1); // cost ratio: cache hit ÷ full
      rawMicros[r] = (t1 - t0) / 1000.0 / BATCH;
    }
    System.out.printf(
        "rounds=%d batch=%d  raw signature %.1f µs/op (median)%n",
        rounds, BATCH, median(rawMicros));
    System.out.printf(
        "full verify ÷ raw signature (throughput): median %.3f, p25 %.3f, p75 %.3f%n",
        median(fullRatio), pct(fullRatio, 25), pct(fullRatio, 75));
    System.out.printf(
        "cache hit cost ÷ full verify cost: median %.2f %%%n", 100 * median(cacheRatio));
    if (sink == null) {
      throw new IllegalStateException();
    }
  }

  private static void raw(VerifierFixture f) throws JOSEException {
    for (int i = 0; i < BATCH; i++) {
      if (!f.raw.verify(f.header, f.signingInput, f.signature)) {
        throw new IllegalStateException("raw signature did not verify");
      }
    }
  }

  private static Object full(VerifierFixture f) {
    Object last = null;
    for (int i = 0; i < BATCH; i++) {
      last = f.uncached.verify(f.token);
    }
    return last;
  }

  private static Object cached(VerifierFixture f) {
    Object last = null;
    for (int i = 0; i < BATCH; i++) {
      last = f.cached.verify(f.token);
    }
    return last;
  }

  private static double median(double[] v) {
    return pct(v, 50);
  }

  private static double pct(double[] v, int p) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, s.length * p / 100)];
  }
}
