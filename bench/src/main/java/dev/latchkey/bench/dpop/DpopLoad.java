package dev.latchkey.bench.dpop;

import com.nimbusds.jose.jwk.ECKey;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The DPoP load generator of {@code bench/load/dpop-load.sh}: closed-loop clients on {@code
 * --connections} persistent connections ({@link HttpConnection}); every DPoP request carries its
 * own proof ({@link ProofMaker}: own {@code jti}, ES256, which wrk's Lua cannot sign). The proofs
 * of a measured block are made just before it, all with that second's {@code iat}, and each is sent
 * once within the block (at most its length, 5 s, after it was made; the servers accept ±60 s):
 * made during the block, on the same 2 cores, the client's signing would take CPU from the server
 * being measured, and the Bearer variant would not pay it. So during a block the generator only
 * writes requests and reads answers, in every variant alike:
 *
 * <ul>
 *   <li>{@code demo-dpop}: the demo's {@code GET /api/lessons}, {@code Authorization: DPoP} with
 *       the bound token and its proof;
 *   <li>{@code demo-bearer}: the same route with the unbound token as {@code Bearer};
 *   <li>{@code spring-dpop}: Spring Security's DPoP resource server, the bound token and its proof.
 * </ul>
 *
 * <p>Each comparison A ÷ B: a warm-up of each side, then {@code --blocks} pairs of {@code --block}
 * seconds alternating AB, BA, …; the figure is the median of the per-pair ratios of requests/s and
 * of the servers' CPU time per request (user + system of {@code --server-pid}, from /proc). Any
 * answer other than 200 stops the run with its body.
 */
public final class DpopLoad {
  record Variant(String name, URI url, String scheme, List<String> tokens, boolean sendsProof) {}

  record Block(
      double requestsPerSecond, double serverCpuMicros, double clientCpuMicros, double seconds) {}

  /** At most this many proofs made for one block (≈ 600 characters each). */
  private static final int MAX_PROOFS = 200_000;

  private final Map<String, Double> lastRate = new HashMap<>();

  private final Map<String, Variant> variants = new HashMap<>();
  private final List<ECKey> clients = new ArrayList<>();
  private final int connections;
  private final long serverPid;
  private final long clockTicks;

  private DpopLoad(Map<String, String> env, int connections, long serverPid, long clockTicks)
      throws Exception {
    int count = Integer.parseInt(env.get("CLIENTS"));
    List<String> bound = new ArrayList<>();
    List<String> bearer = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      clients.add(ECKey.parse(env.get("CLIENT_JWK_" + i)));
      bound.add(env.get("BOUND_TOKEN_" + i));
      bearer.add(env.get("BEARER_TOKEN_" + i));
    }
    this.connections = connections;
    this.serverPid = serverPid;
    this.clockTicks = clockTicks;
    URI demo = URI.create(env.get("DEMO_URL") + "/api/lessons");
    add(new Variant("demo-dpop", demo, "DPoP", bound, true));
    add(new Variant("demo-bearer", demo, "Bearer", bearer, false));
    add(
        new Variant(
            "spring-dpop",
            URI.create(env.get("SPRING_URL") + "/api/lessons"),
            "DPoP",
            bound,
            true));
  }

  static DpopLoad of(Map<String, String> env, int connections, long serverPid, long clockTicks)
      throws Exception {
    return new DpopLoad(env, connections, serverPid, clockTicks);
  }

  Variant variant(String name) {
    return variants.get(name);
  }

  private void add(Variant v) {
    variants.put(v.name(), v);
  }

  /**
   * Proofs for {@code count} requests of {@code v}, made now (before a block, on every core), all
   * with the current second as {@code iat}, each sent once within the block that follows: well
   * inside the servers' ±60 s window.
   */
  String[] proofsFor(Variant v, int count) throws Exception {
    String[] proofs = new String[count];
    int threads = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> parts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      parts.add(
          pool.submit(
              () -> {
                ProofMaker[] makers = makers(v);
                for (int i = first; i < count; i += threads) {
                  proofs[i] = makers[i % makers.length].next();
                }
              }));
    }
    for (Future<?> f : parts) {
      f.get();
    }
    pool.shutdown();
    return proofs;
  }

  /**
   * One block of {@code seconds} on {@code v}, or until {@code proofs} are used up (then shorter:
   * the rate is requests ÷ the time they took). {@code proofs} null: a DPoP variant makes each
   * proof as it sends it (warm-up only); ignored for the Bearer variant. Fails on any answer but
   * 200.
   */
  Block run(Variant v, double seconds, String[] proofs) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    AtomicReference<String> failure = new AtomicReference<>();
    AtomicInteger next = new AtomicInteger();
    long serverBefore = serverTicks();
    long clientBefore = clientCpuNanos();
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    List<Future<Long>> counts = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      counts.add(
          pool.submit(
              () -> {
                ProofMaker[] makers = v.sendsProof() && proofs == null ? makers(v) : null;
                String[] authorizations =
                    v.tokens().stream()
                        .map(t -> "Authorization: " + v.scheme() + " " + t + "\r\n")
                        .toArray(String[]::new);
                long n = 0;
                try (HttpConnection http = new HttpConnection(v.url())) {
                  while (System.nanoTime() < deadline && failure.get() == null) {
                    // request i: client i mod clients, its token, and (pooled) proof i, made for it
                    int i = next.getAndIncrement();
                    int client = i % authorizations.length;
                    String headers = authorizations[client];
                    if (makers != null) {
                      headers += "DPoP: " + makers[client].next() + "\r\n";
                    } else if (v.sendsProof()) {
                      if (i >= proofs.length) {
                        break;
                      }
                      headers += "DPoP: " + proofs[i] + "\r\n";
                    }
                    int status = http.get(headers);
                    if (status != 200) {
                      failure.compareAndSet(null, v.name() + ": " + status + " " + http.lastBody);
                      break;
                    }
                    n++;
                  }
                } catch (IOException e) {
                  failure.compareAndSet(null, v.name() + ": " + e);
                }
                return n;
              }));
    }
    long total = 0;
    for (Future<Long> f : counts) {
      total += f.get();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long serverTicks = serverTicks() - serverBefore;
    long clientNanos = clientCpuNanos() - clientBefore;
    pool.shutdown();
    if (failure.get() != null) {
      throw new IllegalStateException("a non-200 answer, the run is void: " + failure.get());
    }
    Block b =
        new Block(
            total / elapsed,
            serverTicks * 1e6 / clockTicks / total,
            clientNanos / 1e3 / total,
            elapsed);
    lastRate.put(v.name(), b.requestsPerSecond());
    return b;
  }

  /** A block with its proofs made beforehand, enough for 1.5 × the last rate seen on {@code v}. */
  Block measure(Variant v, double seconds) throws Exception {
    String[] proofs = null;
    if (v.sendsProof()) {
      double rate = lastRate.getOrDefault(v.name(), 1000.0);
      proofs = proofsFor(v, (int) Math.min(MAX_PROOFS, Math.ceil(rate * seconds * 1.5) + 200));
    }
    return run(v, seconds, proofs);
  }

  /** A proof maker per client, for this variant's URL and each client's token. */
  private ProofMaker[] makers(Variant v) {
    ProofMaker[] makers = new ProofMaker[clients.size()];
    for (int i = 0; i < makers.length; i++) {
      makers[i] = new ProofMaker(clients.get(i), "GET", v.url().toString(), v.tokens().get(i));
    }
    return makers;
  }

  private long serverTicks() throws IOException {
    String stat = Files.readString(Path.of("/proc/" + serverPid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
  }

  private static long clientCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  /** A ÷ B: warm-ups, then alternating pairs; prints each block and returns the summary row. */
  String compare(String a, String b, double goal, double warmup, int blocks, double block)
      throws Exception {
    Variant va = variants.get(a);
    Variant vb = variants.get(b);
    System.out.printf("== %s vs %s%n", a, b);
    for (Variant side : List.of(va, vb)) {
      run(side, warmup / 2, null); // proofs made as sent: a first estimate of the rate
      measure(side, warmup / 2); // then as measured, proofs made beforehand
    }
    double[] rps = new double[blocks];
    double[] cpu = new double[blocks];
    double[][] sides = new double[4][blocks];
    for (int p = 0; p < blocks; p++) {
      boolean aFirst = p % 2 == 0;
      Block first = measure(aFirst ? va : vb, block);
      String load1 = loadAverage();
      Block second = measure(aFirst ? vb : va, block);
      String load2 = loadAverage();
      Block ba = aFirst ? first : second;
      Block bb = aFirst ? second : first;
      print(p + 1, aFirst ? a : b, first, load1);
      print(p + 1, aFirst ? b : a, second, load2);
      rps[p] = ba.requestsPerSecond() / bb.requestsPerSecond();
      cpu[p] = ba.serverCpuMicros() / bb.serverCpuMicros();
      sides[0][p] = ba.requestsPerSecond();
      sides[1][p] = ba.serverCpuMicros();
      sides[2][p] = bb.requestsPerSecond();
      sides[3][p] = bb.serverCpuMicros();
    }
    double m = quantile(rps, 0.5);
    return String.format(
        Locale.ROOT,
        "| %s ÷ %s | ≥ %.2f | **%.2f** (%.2f–%.2f) | %s | %.2f (%.2f–%.2f) | %.0f, %.1f | %.0f, %.1f |",
        a,
        b,
        goal,
        m,
        quantile(rps, 0.25),
        quantile(rps, 0.75),
        m >= goal ? "met" : "NOT met",
        quantile(cpu, 0.5),
        quantile(cpu, 0.25),
        quantile(cpu, 0.75),
        quantile(sides[0], 0.5),
        quantile(sides[1], 0.5),
        quantile(sides[2], 0.5),
        quantile(sides[3], 0.5));
  }

  private static void print(int pair, String side, Block b, String load) {
    System.out.printf(
        Locale.ROOT,
        "  pair %d %-12s %8.0f req/s %7.1f µs/req server %7.1f µs/req client  load %s%n",
        pair,
        side,
        b.requestsPerSecond(),
        b.serverCpuMicros(),
        b.clientCpuMicros(),
        load);
  }

  static double quantile(double[] values, double q) {
    double[] s = values.clone();
    Arrays.sort(s);
    double x = (s.length - 1) * q;
    int lo = (int) Math.floor(x);
    return lo + 1 >= s.length ? s[s.length - 1] : s[lo] + (x - lo) * (s[lo + 1] - s[lo]);
  }

  static Map<String, String> readEnv(Path file) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      int eq = line.indexOf("='");
      if (eq > 0 && line.endsWith("'")) {
        env.put(line.substring(0, eq), line.substring(eq + 2, line.length() - 1));
      }
    }
    return env;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o =
        new HashMap<>(
            Map.of(
                "--connections",
                "16",
                "--warmup",
                "20",
                "--blocks",
                "10",
                "--block",
                "5",
                "--clk-tck",
                "100"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i], args[i + 1]);
    }
    if (!o.containsKey("--env-file") || !o.containsKey("--server-pid")) {
      throw new IllegalArgumentException(
          "use --env-file FILE --server-pid PID [--connections 16] [--warmup 20] [--blocks 10] [--block 5] [--clk-tck 100]");
    }
    DpopLoad load =
        new DpopLoad(
            readEnv(Path.of(o.get("--env-file"))),
            Integer.parseInt(o.get("--connections")),
            Long.parseLong(o.get("--server-pid")),
            Long.parseLong(o.get("--clk-tck")));
    double warmup = Double.parseDouble(o.get("--warmup"));
    int blocks = Integer.parseInt(o.get("--blocks"));
    double block = Double.parseDouble(o.get("--block"));
    System.out.printf(
        "%d connections; each comparison: %.0f s warm-up of each side, then %d pairs of %.0f s blocks,"
            + " alternating; %d cores, load average %s%n",
        load.connections,
        warmup,
        blocks,
        block,
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    List<String> rows = new ArrayList<>();
    rows.add(load.compare("demo-dpop", "demo-bearer", 0.5, warmup, blocks, block));
    rows.add(load.compare("demo-dpop", "spring-dpop", 1.5, warmup, blocks, block));
    System.out.println("load average at the end: " + loadAverage());
    System.out.println();
    System.out.println(
        "| comparison A ÷ B | goal (req/s) | req/s A ÷ B, median of pairs (p25–p75) | goal |"
            + " server CPU µs/req A ÷ B, median (p25–p75) | A: req/s, µs/req (medians) | B: req/s, µs/req (medians) |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
    rows.forEach(System.out::println);
  }
}
