package dev.latchkey.bench.load;

import dev.latchkey.bench.TempDirs;
import dev.latchkey.server.AuthServer;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.http.HttpSettings;
import dev.latchkey.server.store.StoreSettings;
import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.server.users.HashingSettings;
import dev.latchkey.server.users.PasswordHasher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Login latency over real HTTP on loopback: a real {@link AuthServer} started in this JVM on a
 * temporary H2 folder, with real Argon2id parameters (OWASP by default) and its default hashing
 * pool, driven by closed-loop clients ({@code java.net.http.HttpClient}, one worker thread per
 * client) at each concurrency in turn. Every run is bounded by a request count and a time cap.
 *
 * <p>In the same run it measures one Argon2id password check on a single thread, outside the
 * server, and reports each figure as a ratio of it.
 *
 * <pre>{@code
 * java -cp bench/target/benchmarks.jar dev.latchkey.bench.load.LoginLoad \
 *     --concurrency 1,2,4 --requests 200 --time-cap 60s
 * }</pre>
 */
public final class LoginLoad {
  static final String EMAIL = "load@example.com";
  static final String PASSWORD = "correct horse battery staple";
  private static final Pattern ID_TOKEN = Pattern.compile("\"idToken\"\\s*:\\s*\"([^\"]+)\"");

  /** What to run. */
  public record Options(
      int[] concurrency,
      int requests,
      Duration timeCap,
      int warmup,
      int hashSamples,
      Argon2Params argon2) {}

  /**
   * One concurrency level.
   *
   * @param hashMs median single-thread password check time sampled just before and after it
   */
  public record Level(
      int concurrency,
      int completed,
      Map<Integer, Integer> statuses,
      double p50Ms,
      double p99Ms,
      double maxMs,
      double perSecond,
      boolean timeCapped,
      double hashMs) {
    Level withHashMs(double ms) {
      return new Level(
          concurrency, completed, statuses, p50Ms, p99Ms, maxMs, perSecond, timeCapped, ms);
    }
  }

  /**
   * The figures of one run, with a token from a successful login.
   *
   * @param hashMs median single-thread time of one Argon2id password check, over the whole run
   * @param hashSamples how many password checks that median is of
   * @param hashThreads the server's hashing pool size
   */
  public record Report(
      double hashMs,
      int hashSamples,
      int hashThreads,
      List<Level> levels,
      String sampleToken,
      String jwksUrl) {}

  private LoginLoad() {}

  public static void main(String[] args) throws Exception {
    Options options = parse(args);
    Report report = run(options, null);
    print(options, report);
  }

  /**
   * Starts an auth server, runs every level, stops it. {@code whileRunning}, when given, is called
   * with the report while the server is still up (tests verify the token against its JWKS).
   */
  public static Report run(Options o, java.util.function.Consumer<Report> whileRunning)
      throws Exception {
    Path dir = TempDirs.create("latchkey-bench-login");
    AuthServerConfig config =
        AuthServerConfig.defaults()
            .withHttp(HttpSettings.defaults().withAddress("127.0.0.1", 0))
            .withStore(StoreSettings.embedded(dir))
            .withHashing(HashingSettings.defaults().withParams(o.argon2()));
    try (AuthServer server = AuthServer.start(config)) {
      server.store().users().add(EMAIL, PASSWORD.toCharArray());
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      URI login = URI.create(server.loginUrl());
      String sampleToken = null;
      for (int i = 0; i < Math.max(1, o.warmup()); i++) {
        HttpResponse<String> r = post(client, login);
        if (r.statusCode() != 200) {
          throw new IllegalStateException("warm-up login answered " + r.statusCode());
        }
        sampleToken = idToken(r.body());
      }
      // The single-thread hash is sampled before each level and after the last one, so that a
      // level is compared with the machine as it was just around it (the cores may be shared).
      PasswordHasher hasher = new PasswordHasher(o.argon2());
      char[] password = PASSWORD.toCharArray();
      String stored = hasher.hash(password);
      hasher.verify(password, stored);
      int perCheckpoint = Math.max(1, o.hashSamples() / (o.concurrency().length + 1));
      List<long[]> checkpoints = new ArrayList<>();
      checkpoints.add(hashSamples(hasher, stored, password, perCheckpoint));
      List<Level> measured = new ArrayList<>();
      for (int c : o.concurrency()) {
        measured.add(level(client, login, c, o.requests(), o.timeCap()));
        checkpoints.add(hashSamples(hasher, stored, password, perCheckpoint));
      }
      List<Level> levels = new ArrayList<>();
      for (int i = 0; i < measured.size(); i++) {
        Level l = measured.get(i);
        long[] around = concat(checkpoints.get(i), checkpoints.get(i + 1));
        levels.add(l.withHashMs(percentile(around, 50) / 1e6));
      }
      double hashMs = percentile(concat(checkpoints.toArray(long[][]::new)), 50) / 1e6;
      Report report =
          new Report(
              hashMs,
              perCheckpoint * checkpoints.size(),
              config.hashing().threads(),
              levels,
              sampleToken,
              server.jwksUrl());
      if (whileRunning != null) {
        whileRunning.accept(report);
      }
      return report;
    } finally {
      TempDirs.delete(dir);
    }
  }

  /** {@code n} timed single-thread password checks, sorted, in nanoseconds. */
  private static long[] hashSamples(PasswordHasher hasher, String stored, char[] password, int n) {
    long[] nanos = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      if (!hasher.verify(password, stored)) {
        throw new IllegalStateException("password check failed");
      }
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    return nanos;
  }

  private static long[] concat(long[]... parts) {
    long[] all = Arrays.stream(parts).flatMapToLong(Arrays::stream).toArray();
    Arrays.sort(all);
    return all;
  }

  private static Level level(
      HttpClient client, URI login, int concurrency, int requests, Duration timeCap)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    long deadline = start + timeCap.toNanos();
    ExecutorService workers = Executors.newFixedThreadPool(concurrency);
    List<Future<List<long[]>>> results = new ArrayList<>();
    try {
      for (int w = 0; w < concurrency; w++) {
        results.add(
            workers.submit(
                () -> {
                  List<long[]> mine = new ArrayList<>();
                  while (next.getAndIncrement() < requests && System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    int status;
                    try {
                      status = post(client, login).statusCode();
                    } catch (IOException e) {
                      status = -1;
                    }
                    mine.add(new long[] {System.nanoTime() - t0, status});
                  }
                  return mine;
                }));
      }
      List<long[]> all = new ArrayList<>();
      for (Future<List<long[]>> f : results) {
        all.addAll(f.get());
      }
      long wall = System.nanoTime() - start;
      long[] latencies = all.stream().mapToLong(a -> a[0]).sorted().toArray();
      Map<Integer, Integer> statuses = new TreeMap<>();
      all.forEach(a -> statuses.merge((int) a[1], 1, Integer::sum));
      int ok = statuses.getOrDefault(200, 0);
      return new Level(
          concurrency,
          all.size(),
          statuses,
          percentile(latencies, 50) / 1e6,
          percentile(latencies, 99) / 1e6,
          latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6,
          ok / (wall / 1e9),
          all.size() < requests,
          Double.NaN);
    } finally {
      workers.shutdownNow();
    }
  }

  private static HttpResponse<String> post(HttpClient client, URI login)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(login)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}"))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static String idToken(String body) {
    Matcher m = ID_TOKEN.matcher(body);
    if (!m.find()) {
      throw new IllegalStateException("no idToken in the login answer");
    }
    return m.group(1);
  }

  /** Nearest-rank percentile of sorted values; 0 when there are none. */
  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
  }

  static Options parse(String[] args) {
    int[] concurrency = {1, 2, 4};
    int requests = 200;
    Duration timeCap = Duration.ofSeconds(60);
    int warmup = 10;
    int hashSamples = 20;
    Argon2Params argon2 = Argon2Params.OWASP;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--concurrency" ->
            concurrency = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
        case "--requests" -> requests = Integer.parseInt(value);
        case "--time-cap" -> timeCap = Duration.ofSeconds(Long.parseLong(value.replace("s", "")));
        case "--warmup" -> warmup = Integer.parseInt(value);
        case "--hash-samples" -> hashSamples = Integer.parseInt(value);
        case "--argon2" -> {
          String[] mtp = value.split(",");
          argon2 =
              new Argon2Params(
                  Integer.parseInt(mtp[0]), Integer.parseInt(mtp[1]), Integer.parseInt(mtp[2]));
        }
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; use --concurrency 1,2,4 --requests N --time-cap 60s --warmup N"
                    + " --hash-samples N --argon2 m,t,p");
      }
      i++;
    }
    return new Options(concurrency, requests, timeCap, warmup, hashSamples, argon2);
  }

  private static void print(Options o, Report r) {
    System.out.printf(
        Locale.ROOT,
        "%nArgon2id %s, single-thread password check: median %.1f ms over %d samples taken"
            + " around the levels; server hashing pool: %d threads; %d cores; load average %s%n%n",
        o.argon2(),
        r.hashMs(),
        r.hashSamples(),
        r.hashThreads(),
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    System.out.println(
        "| concurrency | requests | statuses | p50 ms | p99 ms | max ms | logins/s | hash ms"
            + " around | p50 ÷ hash | p99 ÷ hash | logins/s × hash |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (Level l : r.levels()) {
      System.out.printf(
          Locale.ROOT,
          "| %d | %d%s | %s | %.1f | %.1f | %.1f | %.2f | %.1f | %.2f | %.2f | %.2f |%n",
          l.concurrency(),
          l.completed(),
          l.timeCapped() ? " (time cap)" : "",
          l.statuses(),
          l.p50Ms(),
          l.p99Ms(),
          l.maxMs(),
          l.perSecond(),
          l.hashMs(),
          l.p50Ms() / l.hashMs(),
          l.p99Ms() / l.hashMs(),
          l.perSecond() * l.hashMs() / 1000.0);
    }
  }

  private static String loadAverage() {
    try {
      String[] parts =
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
