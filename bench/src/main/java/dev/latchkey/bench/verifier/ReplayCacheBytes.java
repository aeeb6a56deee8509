package dev.latchkey.bench.verifier;

import dev.latchkey.verifier.dpop.DpopReplayStore;
import dev.latchkey.verifier.dpop.DpopReplayStore.Use;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.lang.reflect.Constructor;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The heap one DPoP replay-cache entry takes, and the time of one use, for the verifier's cache
 * ({@code dev.latchkey.verifier.dpop.ReplayCache}, package-private, reached by reflection) and for
 * the one it replaced (a map of the id strings and a queue, copied below as it was), in one run.
 *
 * <p>Bytes: a cache bounded at {@code --entries N} is filled with N distinct ids as the verifier
 * makes them ({@code thumbprint + ' ' + jti}, a 43-character thumbprint and a 22-character jti, a
 * fresh string each, dropped by this harness after the use), the ticker standing still; the figure
 * is the used heap after full collections with the full cache minus with the empty one, ÷ N. Every
 * use must be FIRST, the first id again REPLAYED and one more FULL, or the run fails.
 *
 * <p>Time: the cache held at N live entries while the synthetic ticker moves so that each use
 * expires one entry and adds one; CPU nanoseconds per use (making the id string included, and shown
 * alone) and uses a second, on 1 thread and on 2 sharing the cache (its one lock; and the ticker,
 * an AtomicLong).
 *
 * <pre>
 * java -Xmx2g -cp bench/target/benchmarks.jar dev.latchkey.bench.verifier.ReplayCacheBytes --entries 1000000
 * </pre>
 */
public final class ReplayCacheBytes {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final long LIFETIME = 120_000_000_000L;
  private static final String THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final Instant IGNORED = Instant.EPOCH;

  private ReplayCacheBytes() {}

  private interface Factory {
    DpopReplayStore create(int maxEntries, long lifetimeNanos, LongSupplier ticker)
        throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int n = args.length == 2 && args[0].equals("--entries") ? Integer.parseInt(args[1]) : 1_000_000;
    System.out.printf("entries: %,d; ids like \"%s\" (%d characters)%n", n, id(0), id(0).length());
    System.out.printf("max heap: %,d bytes%n%n", Runtime.getRuntime().maxMemory());
    Factory before = HashMapReplayCache::new;
    Factory now = ReplayCacheBytes::verifiersCache;
    bytes("before, HashMap<String, Long> + ArrayDeque of (id, expiry)", before, n);
    bytes("now, ReplayCache: digests in a ring + int index", now, n);
    long index = Integer.highestOneBit(2 * n - 1) << 1;
    System.out.printf(
        "  its arrays by their lengths: 3 long[%d] + int[%d] = %.1f bytes per entry%n%n",
        n, index, (3 * (16 + 8.0 * n) + 16 + 4.0 * index) / n);

    System.out.printf("making the id string alone: %.0f ns CPU%n", idNanos(n));
    for (int threads = 1; threads <= 2; threads++) {
      printUse("before", before, n, threads);
      printUse("now   ", now, n, threads);
    }
  }

  private static DpopReplayStore verifiersCache(int maxEntries, long lifetime, LongSupplier ticker)
      throws Exception {
    Constructor<?> c =
        Class.forName("dev.latchkey.verifier.dpop.ReplayCache")
            .getDeclaredConstructor(int.class, long.class, LongSupplier.class);
    c.setAccessible(true);
    return (DpopReplayStore) c.newInstance(maxEntries, lifetime, ticker);
  }

  private static void bytes(String name, Factory factory, int n) throws Exception {
    AtomicLong ticker = new AtomicLong();
    // A first one, dropped: loads the classes and what they use once a JVM (SecureRandom, SHA-256).
    factory.create(n, LIFETIME, ticker::get).use(id(n + 1), IGNORED);
    long start = HeapUse.usedAfterGc();
    DpopReplayStore cache = factory.create(n, LIFETIME, ticker::get);
    long empty = HeapUse.usedAfterGc();
    for (int i = 0; i < n; i++) {
      expect(cache.use(id(i), IGNORED), Use.FIRST);
    }
    expect(cache.use(id(0), IGNORED), Use.REPLAYED);
    expect(cache.use(id(n), IGNORED), Use.FULL);
    long full = HeapUse.usedAfterGc();
    Reference.reachabilityFence(cache);
    System.out.println(name);
    System.out.printf(
        "  used heap after GC: %,d; empty cache %,d (+%,d); full %,d%n",
        start, empty, empty - start, full);
    System.out.printf(
        "  bytes per entry: %.1f; full cache: %.1f MB%n",
        (double) (full - empty) / n, (full - start) / 1e6);
  }

  private static double idNanos(int n) {
    long sink = 0;
    long t0 = THREADS.getCurrentThreadCpuTime();
    for (int i = 0; i < 2 * n; i++) {
      sink += id(i).length();
    }
    long t1 = THREADS.getCurrentThreadCpuTime();
    if (sink == 42) {
      System.out.println();
    }
    return (double) (t1 - t0) / (2 * n);
  }

  /**
   * Steady state at n live entries, the ticker moving one lifetime ÷ n per use: the CPU time per
   * use (each thread's own), and uses a second in all (wall time: on a shared machine, a floor).
   */
  private static void printUse(String name, Factory factory, int n, int threads) throws Exception {
    AtomicLong ticker = new AtomicLong();
    long step = LIFETIME / n;
    // A little room: with 2 threads a use may read the ticker a few steps after its own step.
    DpopReplayStore cache = factory.create(n + 64, LIFETIME, ticker::get);
    run(cache, ticker, step, 0, 2 * n); // fills it, and warms up
    int each = 2 * n / threads;
    AtomicLong cpu = new AtomicLong();
    Thread[] workers = new Thread[threads];
    long t0 = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int from = 2 * n + t * each;
      workers[t] =
          new Thread(
              () -> {
                long c0 = THREADS.getCurrentThreadCpuTime();
                run(cache, ticker, step, from, each);
                cpu.addAndGet(THREADS.getCurrentThreadCpuTime() - c0);
              });
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
    long wall = System.nanoTime() - t0;
    System.out.printf(
        "%s %d thread(s): %.0f ns CPU per use, %,.0f uses/s in all%n",
        name, threads, (double) cpu.get() / (each * threads), each * threads * 1e9 / wall);
  }

  private static void run(
      DpopReplayStore cache, AtomicLong ticker, long step, int from, int count) {
    for (int i = from; i < from + count; i++) {
      ticker.addAndGet(step);
      expect(cache.use(id(i), IGNORED), Use.FIRST);
    }
  }

  private static void expect(Use got, Use expected) {
    if (got != expected) {
      throw new IllegalStateException(got + " where " + expected + " was due: the figure is wrong");
    }
  }

  /** The i-th id, as the verifier makes it: the key's thumbprint, a space, a random jti. */
  private static String id(int i) {
    SplittableRandom random = new SplittableRandom(i);
    byte[] jti =
        ByteBuffer.allocate(16).putLong(random.nextLong()).putLong(random.nextLong()).array();
    return THUMBPRINT + ' ' + BASE64URL.encodeToString(jti);
  }

  /** The verifier's replay cache until it kept digests (commit 3d4667a), as it was. */
  private static final class HashMapReplayCache implements DpopReplayStore {
    private record Entry(String id, long expiresAt) {}

    private final int maxEntries;
    private final long lifetimeNanos;
    private final LongSupplier ticker;
    private final Map<String, Long> live = new HashMap<>();
    private final ArrayDeque<Entry> byExpiry = new ArrayDeque<>();

    HashMapReplayCache(int maxEntries, long lifetimeNanos, LongSupplier ticker) {
      this.maxEntries = maxEntries;
      this.lifetimeNanos = lifetimeNanos;
      this.ticker = ticker;
    }

    @Override
    public synchronized Use use(String id, Instant rememberUntil) {
      long now = ticker.getAsLong();
      while (!byExpiry.isEmpty() && byExpiry.peekFirst().expiresAt() - now <= 0) {
        Entry gone = byExpiry.pollFirst();
        live.remove(gone.id(), gone.expiresAt());
      }
      if (live.containsKey(id)) {
        return Use.REPLAYED;
      }
      if (live.size() >= maxEntries) {
        return Use.FULL;
      }
      long expiresAt = now + lifetimeNanos;
      live.put(id, expiresAt);
      byExpiry.addLast(new Entry(id, expiresAt));
      return Use.FIRST;
    }
  }
}
