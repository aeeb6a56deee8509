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
import java.util.concurrent.atomic.AtomicReference;

/**
 * The DPoP load generator of {@code bench/load/dpop-load.sh}: closed-loop clients on {@code
 * --connections} persistent connections ({@link HttpConnection}), each request with a proof made
 * for it at that moment ({@link ProofMaker}: own {@code jti}, current {@code iat}; wrk's Lua cannot
 * sign ES256). The same generator drives every variant, and makes a proof for every request in each
 * of them (the Bearer variant makes it and does not send it), so its own cost per request is the
 * same everywhere:
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
  record Variant(String name, URI url, String scheme, String token, boolean sendsProof) {}

  record Block(double requestsPerSecond, double serverCpuMicros, double clientCpuMicros) {}

  private final Map<String, Variant> variants = new HashMap<>();
  private final ECKey client;
  private final int connections;
  private final long serverPid;
  private final long clockTicks;

  private DpopLoad(Map<String, String> env, int connections, long serverPid, long clockTicks)
      throws Exception {
    this.client = ECKey.parse(env.get("CLIENT_JWK"));
    this.connections = connections;
    this.serverPid = serverPid;
    this.clockTicks = clockTicks;
    String bound = env.get("BOUND_TOKEN");
    URI demo = URI.create(env.get("DEMO_URL") + "/api/lessons");
    add(new Variant("demo-dpop", demo, "DPoP", bound, true));
    add(new Variant("demo-bearer", demo, "Bearer", env.get("BEARER_TOKEN"), false));
    add(
        new Variant(
            "spring-dpop",
            URI.create(env.get("SPRING_URL") + "/api/lessons"),
            "DPoP",
            bound,
            true));
  }

  private void add(Variant v) {
    variants.put(v.name(), v);
  }

  /** One block of {@code seconds} on {@code v}; fails on any answer but 200. */
  Block run(Variant v, double seconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    AtomicReference<String> failure = new AtomicReference<>();
    long serverBefore = serverTicks();
    long clientBefore = clientCpuNanos();
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    List<Future<Long>> counts = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      counts.add(
          pool.submit(
              () -> {
                ProofMaker proofs = new ProofMaker(client, "GET", v.url().toString(), v.token());
                String authorization = "Authorization: " + v.scheme() + " " + v.token() + "\r\n";
                long n = 0;
                try (HttpConnection http = new HttpConnection(v.url())) {
                  while (System.nanoTime() < deadline && failure.get() == null) {
                    String proof = proofs.next();
                    int status =
                        http.get(
                            v.sendsProof()
                                ? authorization + "DPoP: " + proof + "\r\n"
                                : authorization);
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
    return new Block(
        total / elapsed, serverTicks * 1e6 / clockTicks / total, clientNanos / 1e3 / total);
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
    run(va, warmup);
    run(vb, warmup);
    double[] rps = new double[blocks];
    double[] cpu = new double[blocks];
    double[][] sides = new double[4][blocks];
    for (int p = 0; p < blocks; p++) {
      boolean aFirst = p % 2 == 0;
      Block first = run(aFirst ? va : vb, block);
      String load1 = loadAverage();
      Block second = run(aFirst ? vb : va, block);
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
