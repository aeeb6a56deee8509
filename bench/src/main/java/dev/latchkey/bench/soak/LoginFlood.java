package dev.latchkey.bench.soak;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A login flood against the auth server while the application server serves its protected route:
 * both servers in their own JVMs ({@link TwoServers}). Blocks of {@code --block} without and with
 * the flood alternate ({@code --pairs} pairs, in the order quiet-flood, flood-quiet, ...), and each
 * pair gives the ratio of {@code GET /api/lessons} answers per second (closed loop, {@code
 * --protected-workers}, {@code --protected-tokens} distinct tokens) with the flood to without it;
 * the report is the median of those ratios (goal ≥ 0.8) and the p99 of {@code GET
 * /.well-known/jwks.json} sent at {@code --jwks-rate} per second (goal &lt; 100 ms with the flood).
 *
 * <p>The flood ({@link WrkFlood}): {@code --flood-connections} connections posting wrong passwords
 * as fast as they are answered, for {@code --flood-accounts} accounts (20 of them existing) from
 * {@code --flood-addresses} client addresses ({@code X-Forwarded-For}; the auth server trusts
 * 127.0.0.1 as a proxy), so both the throttle (429) and the hashing pool's bounded queue (503)
 * answer; the hashed attempts are the 401s.
 *
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar dev.latchkey.bench.soak.LoginFlood             # ~5 min
 * java -cp bench/target/benchmarks.jar dev.latchkey.bench.soak.LoginFlood --warmup 5s \
 *     --block 5s --pairs 1                                                         # smoke
 * }</pre>
 */
public final class LoginFlood {
  private static final String USAGE =
      "options (defaults): --warmup 30s --block 20s --pairs 5 --settle 3s --protected-workers 8"
          + " --protected-tokens 1000 --jwks-rate 20 --flood-connections 160 --flood-accounts 10000"
          + " --flood-addresses 256 --hash-threads 0 (the auth server's default: one a core)"
          + " --auth-cpus '' --app-cpus '' (taskset -c lists: with both, the auth server and the"
          + " flood run on the first, the application server and this driver on the second)"
          + " --jvm-options -Xmx512m --db-url '' --db-user '' --out bench/results/<date>/flood";

  private static final Map<String, String> DEFAULTS =
      Map.ofEntries(
          Map.entry("--warmup", "30s"),
          Map.entry("--block", "20s"),
          Map.entry("--pairs", "5"),
          Map.entry("--settle", "3s"),
          Map.entry("--protected-workers", "8"),
          Map.entry("--protected-tokens", "1000"),
          Map.entry("--jwks-rate", "20"),
          Map.entry("--flood-connections", "160"),
          Map.entry("--flood-addresses", "256"),
          Map.entry("--flood-accounts", "10000"),
          Map.entry("--hash-threads", "0"),
          Map.entry("--auth-cpus", ""),
          Map.entry("--app-cpus", ""),
          Map.entry("--jvm-options", "-Xmx512m"),
          Map.entry("--db-url", ""),
          Map.entry("--db-user", ""),
          Map.entry("--out", "bench/results/" + LocalDate.now(ZoneOffset.UTC) + "/flood"));

  private LoginFlood() {}

  /** One block's figures. */
  record Block(
      boolean flood,
      double protectedPerSecond,
      int protectedFailures,
      double jwksP50Ms,
      double jwksP99Ms,
      int jwksFailures,
      double floodPerSecond,
      Map<Integer, Long> floodStatuses,
      long floodTimeouts,
      double load) {}

  public static void main(String[] args) throws Exception {
    Options o = new Options(args, DEFAULTS, USAGE);
    System.out.println("login flood: " + Machine.describe());
    System.out.println("options: " + o);
    TwoServers.Cpus cpus = cpus(o);
    if (cpus.app() != null) {
      pinThisProcess(cpus.app());
      System.out.printf(
          "partitioned: auth server and flood on CPUs %s; application server, its load and the"
              + " JWKS probe on CPUs %s%n",
          cpus.auth(), cpus.app());
    }
    try (TwoServers servers =
        TwoServers.start(
            Path.of(o.text("--out")),
            o.words("--jvm-options"),
            20,
            o.integer("--protected-tokens"),
            o.integer("--hash-threads"),
            o.text("--db-url"),
            o.text("--db-user"),
            cpus)) {
      System.out.printf(
          "auth server %s (pid %d), application server %s (pid %d)%n",
          servers.authUrl, servers.auth.pid(), servers.appUrl, servers.app.pid());
      run(o, servers, servers.tokens);
    }
  }

  /**
   * The protected route and the JWKS probe each have their own HTTP client (connections, selector
   * thread), so that one's queue does not count as the other server's latency.
   */
  private record Clients(Calls lessons, Calls jwks) {}

  static void run(Options o, TwoServers servers, List<String> tokens) throws InterruptedException {
    Clients calls =
        new Clients(
            new Calls(servers.authUrl, servers.appUrl), new Calls(servers.authUrl, servers.appUrl));
    Duration block = o.duration("--block");
    Duration settle = o.duration("--settle");
    System.out.printf(
        "warm-up: %d s without the flood, then 5 s of flood%n", o.duration("--warmup").toSeconds());
    measure(o, servers, calls, tokens, false, o.duration("--warmup"));
    measure(o, servers, calls, tokens, true, Duration.ofSeconds(5));
    Thread.sleep(settle.toMillis());
    List<Block[]> pairs = new ArrayList<>();
    for (int p = 1; p <= o.integer("--pairs"); p++) {
      Block quiet = null;
      Block flood = null;
      for (boolean withFlood :
          p % 2 == 1 ? new boolean[] {false, true} : new boolean[] {true, false}) {
        Block b = measure(o, servers, calls, tokens, withFlood, block);
        print(p, b);
        if (withFlood) {
          flood = b;
        } else {
          quiet = b;
        }
        Thread.sleep(settle.toMillis()); // the hashing queue drains
      }
      pairs.add(new Block[] {quiet, flood});
    }
    report(pairs);
    System.out.println("load average at the end: " + Machine.describe());
  }

  private static Block measure(
      Options o,
      TwoServers servers,
      Clients calls,
      List<String> tokens,
      boolean withFlood,
      Duration length)
      throws InterruptedException {
    WrkFlood flood =
        withFlood
            ? WrkFlood.start(
                servers.authUrl,
                cpus(o).auth(),
                length,
                o.integer("--flood-connections"),
                o.integer("--flood-accounts"),
                o.integer("--flood-addresses"),
                Path.of(o.text("--out")))
            : null;
    long start = System.nanoTime();
    long end = start + length.toNanos();
    Recorder recorder = new Recorder(start);
    int count = Math.min(tokens.size(), o.integer("--protected-tokens"));
    AtomicLong nextToken = new AtomicLong();
    LongFunction<RateDriver.Request> lessons =
        k ->
            Soak.request(
                "lessons",
                () ->
                    calls.lessons().lessons(tokens.get((int) (nextToken.getAndIncrement() % count)))
                        == 200);
    Thread jwks =
        RateDriver.background(
            o.number("--jwks-rate"),
            4,
            end,
            k -> Soak.request("jwks", () -> calls.jwks().jwks() == 200),
            recorder);
    RateDriver.run(0, o.integer("--protected-workers"), end, lessons, recorder);
    jwks.join();
    WrkFlood.Answers answers = flood == null ? new WrkFlood.Answers(Map.of(), 0) : flood.finish();
    int seconds = (int) Math.max(1, length.toSeconds());
    Recorder.Row l = recorder.summary("lessons", 0, seconds + 1);
    Recorder.Row j = recorder.summary("jwks", 0, seconds + 1);
    return new Block(
        withFlood,
        (l.count() - l.failures()) / (length.toMillis() / 1000.0),
        l.failures(),
        j.p50Ms(),
        j.p99Ms(),
        j.failures(),
        answers.total() / (length.toMillis() / 1000.0),
        answers.statuses(),
        answers.timeouts(),
        Machine.loadAverage());
  }

  private static TwoServers.Cpus cpus(Options o) {
    String auth = o.text("--auth-cpus");
    String app = o.text("--app-cpus");
    if ((auth == null) != (app == null)) {
      throw new IllegalArgumentException("--auth-cpus and --app-cpus go together");
    }
    return auth == null ? TwoServers.Cpus.ANY : new TwoServers.Cpus(auth, app);
  }

  /** Keeps every thread of this JVM, and those it starts later, on {@code cpus}. */
  private static void pinThisProcess(String cpus) throws IOException, InterruptedException {
    String pid = Long.toString(ProcessHandle.current().pid());
    Process taskset =
        new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, pid)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (taskset.waitFor() != 0) {
      throw new IllegalStateException("taskset could not move this process to CPUs " + cpus);
    }
  }

  private static void print(int pair, Block b) {
    System.out.printf(
        Locale.ROOT,
        "pair %d %-5s lessons %.0f/s (%d failed)  jwks p50 %.1f ms p99 %.1f ms (%d failed)%s  load %.1f%n",
        pair,
        b.flood() ? "flood" : "quiet",
        b.protectedPerSecond(),
        b.protectedFailures(),
        b.jwksP50Ms(),
        b.jwksP99Ms(),
        b.jwksFailures(),
        b.flood()
            ? String.format(
                Locale.ROOT,
                "  flood %.0f attempts/s %s%s",
                b.floodPerSecond(),
                b.floodStatuses(),
                b.floodTimeouts() > 0 ? " (" + b.floodTimeouts() + " timed out)" : "")
            : "",
        b.load());
  }

  private static void report(List<Block[]> pairs) {
    double[] ratios =
        pairs.stream()
            .mapToDouble(p -> p[1].protectedPerSecond() / p[0].protectedPerSecond())
            .sorted()
            .toArray();
    double[] quietP99 = pairs.stream().mapToDouble(p -> p[0].jwksP99Ms()).sorted().toArray();
    double[] floodP99 = pairs.stream().mapToDouble(p -> p[1].jwksP99Ms()).sorted().toArray();
    double hashed =
        pairs.stream().mapToDouble(p -> p[1].floodStatuses().getOrDefault(401, 0L)).sum();
    double attempts =
        pairs.stream()
            .mapToDouble(
                p -> p[1].floodStatuses().values().stream().mapToLong(Long::longValue).sum())
            .sum();
    double ratio = median(ratios);
    double p99 = median(floodP99);
    System.out.println();
    System.out.println(
        "| figure | goal | measured (median of " + pairs.size() + " pairs; range) | |");
    System.out.println("| --- | --- | --- | --- |");
    System.out.printf(
        Locale.ROOT,
        "| protected route, flood ÷ no flood (answers/s) | ≥ 0.80 | **%.2f** (%.2f–%.2f) | %s |%n",
        ratio,
        ratios[0],
        ratios[ratios.length - 1],
        ratio >= 0.8 ? "met" : "NOT met");
    System.out.printf(
        Locale.ROOT,
        "| JWKS p99 with the flood | < 100 ms | **%.1f ms** (%.1f–%.1f) | %s |%n",
        p99,
        floodP99[0],
        floodP99[floodP99.length - 1],
        p99 < 100 ? "met" : "NOT met");
    System.out.printf(
        Locale.ROOT,
        "| JWKS p99 without the flood | — | %.1f ms (%.1f–%.1f) | |%n",
        median(quietP99),
        quietP99[0],
        quietP99[quietP99.length - 1]);
    System.out.printf(
        Locale.ROOT,
        "| flood: attempts answered ÷ attempts hashed (401) | many | %.0f ÷ %.0f = %.1f × | |%n",
        attempts,
        hashed,
        hashed == 0 ? Double.NaN : attempts / hashed);
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
