package dev.latchkey.bench.soak;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * The soak: the auth server and the demo application server in two JVMs ({@link TwoServers}), a
 * mixed load for {@code --duration} (default 10 min) at {@code --fraction} (default 0.8) of the
 * maximum measured first in a short ramp, throughput and p50/p99 latency per kind and second, and
 * each server's RSS and heap after GC every {@code --sample-every}. Writes {@code
 * soak-requests.csv} and {@code soak-memory.csv} to {@code --out} and PNG plots to {@code --plots}.
 *
 * <p>The mix, per 20 requests: 8 {@code GET /api/lessons} with one token ({@code lessons-1}), 8
 * with a token from {@code --tokens} distinct ones in rotation ({@code lessons-N}), 3 {@code GET
 * /.well-known/jwks.json}, 1 {@code POST /api/refresh} (rotating: a new token signed, rows
 * written). Beside it, real logins (Argon2id) at {@code --login-rate} per second.
 *
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar dev.latchkey.bench.soak.Soak            # 10 min
 * java -cp bench/target/benchmarks.jar dev.latchkey.bench.soak.Soak --duration 30s \
 *     --warmup 5s --ramp-step 3s --plots /tmp/soak-smoke                       # smoke
 * }</pre>
 */
public final class Soak {
  private static final String USAGE =
      "options (defaults): --duration 10m --fraction 0.8 --rate 0 (0: fraction of the ramp's"
          + " maximum) --login-rate 1 --warmup 30s --ramp-workers 2,8,32 --ramp-step 10s"
          + " --workers 64 --sample-every 5s --tokens 20000 --accounts 20 --sessions 32"
          + " --jvm-options -Xmx512m --db-url '' --db-user '' --out bench/results/<date>/soak"
          + " --plots docs/img --label '' (in the plots' titles, e.g. 'smoke run')";

  private static final Map<String, String> DEFAULTS =
      Map.ofEntries(
          Map.entry("--duration", "10m"),
          Map.entry("--fraction", "0.8"),
          Map.entry("--rate", "0"),
          Map.entry("--login-rate", "1"),
          Map.entry("--warmup", "30s"),
          Map.entry("--ramp-workers", "2,8,32"),
          Map.entry("--ramp-step", "10s"),
          Map.entry("--workers", "64"),
          Map.entry("--sample-every", "5s"),
          Map.entry("--tokens", "20000"),
          Map.entry("--accounts", "20"),
          Map.entry("--sessions", "32"),
          Map.entry("--jvm-options", "-Xmx512m"),
          Map.entry("--db-url", ""),
          Map.entry("--db-user", ""),
          Map.entry("--out", "bench/results/" + LocalDate.now(ZoneOffset.UTC) + "/soak"),
          Map.entry("--plots", "docs/img"),
          Map.entry("--label", ""));

  private Soak() {}

  /** One memory sample of one server process. */
  record MemorySample(
      double second, String process, double heapAfterGcMb, double rssMb, long gcs, double load) {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Options o = new Options(args, DEFAULTS, USAGE);
    Path out = Path.of(o.text("--out"));
    System.out.println("soak: " + Machine.describe());
    System.out.println("options: " + o);
    try (TwoServers servers =
        TwoServers.start(
            out,
            o.words("--jvm-options"),
            o.integer("--accounts"),
            o.integer("--tokens"),
            0,
            o.text("--db-url"),
            o.text("--db-user"),
            TwoServers.Cpus.ANY)) {
      System.out.printf(
          "auth server %s (pid %d), application server %s (pid %d), %d tokens%n",
          servers.authUrl,
          servers.auth.pid(),
          servers.appUrl,
          servers.app.pid(),
          servers.tokens.size());
      run(o, servers, out);
    }
  }

  private static void run(Options o, TwoServers servers, Path out) throws Exception {
    Calls calls = new Calls(servers.authUrl, servers.appUrl);
    int accounts = o.integer("--accounts");
    BlockingQueue<Calls.Session> sessions = new ArrayBlockingQueue<>(o.integer("--sessions"));
    for (int i = 0; i < o.integer("--sessions"); i++) {
      sessions.add(calls.logIn(AuthChild.email(i % accounts), AuthChild.PASSWORD));
    }
    LongFunction<RateDriver.Request> mix = mix(calls, servers.tokens, sessions);

    Duration warmup = o.duration("--warmup");
    System.out.printf("warm-up: %d s closed loop, 8 workers%n", warmup.toSeconds());
    RateDriver.run(
        0, 8, System.nanoTime() + warmup.toNanos(), mix, new Recorder(System.nanoTime()));

    double rate = o.number("--rate");
    if (rate <= 0) {
      double max = 0;
      Duration step = o.duration("--ramp-step");
      for (int workers : o.integers("--ramp-workers")) {
        Recorder r = new Recorder(System.nanoTime());
        RateDriver.run(0, workers, System.nanoTime() + step.toNanos(), mix, r);
        double perSecond = total(r, (int) step.toSeconds()) / (double) step.toSeconds();
        System.out.printf(
            Locale.ROOT,
            "ramp: %d workers closed loop: %.0f requests/s (load average %.1f)%n",
            workers,
            perSecond,
            Machine.loadAverage());
        max = Math.max(max, perSecond);
      }
      rate = o.number("--fraction") * max;
      System.out.printf(
          Locale.ROOT, "maximum %.0f requests/s; soak at %.0f requests/s%n", max, rate);
    }

    Duration duration = o.duration("--duration");
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    Recorder recorder = new Recorder(start);
    List<MemorySample> memory = new ArrayList<>();
    Thread sampler = sampler(servers, start, end, o.duration("--sample-every"), memory);
    Thread logins =
        RateDriver.background(o.number("--login-rate"), 4, end, login(calls, accounts), recorder);
    System.out.printf(
        Locale.ROOT,
        "soak: %d s at %.0f requests/s (%d workers) + %.1f logins/s%n",
        duration.toSeconds(),
        rate,
        o.integer("--workers"),
        o.number("--login-rate"));
    RateDriver.run(rate, o.integer("--workers"), end, mix, recorder);
    logins.join();
    sampler.join();

    // the last second is partial: left out
    List<Recorder.Row> rows =
        recorder.perSecond().stream().filter(r -> r.second() < duration.toSeconds()).toList();
    Files.createDirectories(out);
    writeRequests(out.resolve("soak-requests.csv"), rows);
    writeMemory(out.resolve("soak-memory.csv"), memory);
    Path plots = Path.of(o.text("--plots"));
    SoakPlots.draw(plots, rows, memory, duration, rate, o.text("--label"));
    System.out.println("CSV in " + out + ", plots in " + plots);
    summarise(recorder, memory, (int) duration.toSeconds());
    System.out.println("load average at the end: " + Machine.describe());
  }

  /** The mix: 8 lessons-1, 8 lessons-N, 3 jwks, 1 refresh in every 20. */
  private static LongFunction<RateDriver.Request> mix(
      Calls calls, List<String> tokens, BlockingQueue<Calls.Session> sessions) {
    String one = tokens.get(0);
    String distinct = "lessons-" + tokens.size();
    AtomicLong nextToken = new AtomicLong();
    return k -> {
      int slot = (int) (k % 20);
      if (slot < 8) {
        return request("lessons-1", () -> calls.lessons(one) == 200);
      } else if (slot < 16) {
        return request(
            distinct,
            () ->
                calls.lessons(tokens.get((int) (nextToken.getAndIncrement() % tokens.size())))
                    == 200);
      } else if (slot < 19) {
        return request("jwks", () -> calls.jwks() == 200);
      }
      return request(
          "refresh",
          () -> {
            Calls.Session s = sessions.poll(5, TimeUnit.SECONDS);
            if (s == null) {
              return false;
            }
            try {
              return calls.refresh(s) == 200;
            } finally {
              sessions.add(s);
            }
          });
    };
  }

  private static LongFunction<RateDriver.Request> login(Calls calls, int accounts) {
    return k ->
        request(
            "login",
            () ->
                calls.login(AuthChild.email((int) (k % accounts)), AuthChild.PASSWORD).statusCode()
                    == 200);
  }

  interface Call {
    boolean call() throws Exception;
  }

  static RateDriver.Request request(String kind, Call call) {
    return new RateDriver.Request() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public boolean call() throws Exception {
        return call.call();
      }
    };
  }

  private static long total(Recorder r, int seconds) {
    long n = 0;
    for (String kind : r.kinds()) {
      Recorder.Row s = r.summary(kind, 0, seconds + 1);
      n += s.count() - s.failures();
    }
    return n;
  }

  private static Thread sampler(
      TwoServers servers, long start, long end, Duration every, List<MemorySample> samples) {
    Thread t =
        new Thread(
            () -> {
              try {
                for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                  for (ServerProcess p : servers.processes()) {
                    ServerProcess.Memory m = p.memory();
                    synchronized (samples) {
                      samples.add(
                          new MemorySample(
                              (now - start) / 1e9,
                              p.name(),
                              m.heapAfterGcMb(),
                              m.rssMb(),
                              m.collections(),
                              Machine.loadAverage()));
                    }
                  }
                  Thread.sleep(Math.min(every.toMillis(), Math.max(1, (end - now) / 1_000_000)));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "memory-sampler");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void writeRequests(Path file, List<Recorder.Row> rows) throws IOException {
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
      w.println("second,kind,answers,failures,p50_ms,p99_ms");
      for (Recorder.Row r : rows) {
        w.printf(
            Locale.ROOT,
            "%d,%s,%d,%d,%.3f,%.3f%n",
            r.second(),
            r.kind(),
            r.count(),
            r.failures(),
            r.p50Ms(),
            r.p99Ms());
      }
    }
  }

  private static void writeMemory(Path file, List<MemorySample> samples) throws IOException {
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
      w.println("second,process,heap_after_gc_mb,rss_mb,collections,load_average");
      for (MemorySample s : samples) {
        w.printf(
            Locale.ROOT,
            "%.1f,%s,%.0f,%.1f,%d,%.2f%n",
            s.second(),
            s.process(),
            s.heapAfterGcMb(),
            s.rssMb(),
            s.gcs(),
            s.load());
      }
    }
  }

  private static void summarise(Recorder r, List<MemorySample> memory, int seconds) {
    int edge = Math.max(1, Math.min(60, seconds / 4));
    System.out.println();
    System.out.printf(
        "| kind | answers/s | p50 ms | p99 ms | failures | p99 ms, first %d s | p99 ms, last %d s |%n",
        edge, edge);
    System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
    for (String kind : r.kinds()) {
      Recorder.Row all = r.summary(kind, 0, seconds + 1);
      System.out.printf(
          Locale.ROOT,
          "| %s | %.1f | %.1f | %.1f | %d | %.1f | %.1f |%n",
          kind,
          all.count() / (double) seconds,
          all.p50Ms(),
          all.p99Ms(),
          all.failures(),
          r.summary(kind, 0, edge).p99Ms(),
          r.summary(kind, seconds - edge, seconds + 1).p99Ms());
    }
    System.out.println();
    System.out.println(
        "| process | heap after GC, first → last sample (MB) | max | RSS first → last (MB) | max | collections |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    for (String process : List.of("auth", "app")) {
      List<MemorySample> mine =
          memory.stream()
              .filter(m -> m.process().equals(process) && m.heapAfterGcMb() >= 0)
              .toList();
      if (mine.isEmpty()) {
        continue;
      }
      MemorySample first = mine.get(0);
      MemorySample last = mine.get(mine.size() - 1);
      System.out.printf(
          Locale.ROOT,
          "| %s | %.0f → %.0f | %.0f | %.0f → %.0f | %.0f | %d |%n",
          process,
          first.heapAfterGcMb(),
          last.heapAfterGcMb(),
          mine.stream().mapToDouble(MemorySample::heapAfterGcMb).max().orElse(0),
          first.rssMb(),
          last.rssMb(),
          mine.stream().mapToDouble(MemorySample::rssMb).max().orElse(0),
          last.gcs());
    }
  }
}
