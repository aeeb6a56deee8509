package dev.latchkey.verifier.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The auth server's revocation feed, {@code GET /api/revocations?since=}, on a loopback port: it
 * lists the sids revoked at or after {@code since}, with {@code now} from the test's clock, and can
 * be switched to failing or hostile answers, or held (a request that waits for the test).
 */
public final class RevocationServer implements AutoCloseable {
  static {
    // Headers and body go out in two writes; without TCP_NODELAY, Nagle's algorithm and the
    // client's delayed ACK add about 40 ms to every loopback request.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** What the endpoint answers. */
  public enum Mode {
    SERVE,
    ERROR_500,
    RAW,
    HUGE_CHUNKED,
    HUGE_DECLARED,
    HOLD
  }

  private final HttpServer server;
  private final Clock clock;
  private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
  private final List<String> queries = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger holding = new AtomicInteger();
  private volatile Mode mode = Mode.SERVE;
  private volatile String raw = "";
  private volatile CountDownLatch release = new CountDownLatch(0);
  private volatile boolean stopped;

  public RevocationServer(Clock clock) throws IOException {
    this.clock = clock;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/revocations", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** Lists {@code sid} as revoked now (by the test clock). */
  public void revoke(String sid) {
    revoked.put(sid, clock.instant());
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  /** Answers 200 with exactly this body. */
  public void raw(String body) {
    this.raw = body;
    this.mode = Mode.RAW;
  }

  /** From now on requests wait until {@link #release()}. */
  public void hold() {
    release = new CountDownLatch(1);
    mode = Mode.HOLD;
  }

  public void release() {
    mode = Mode.SERVE;
    release.countDown();
  }

  /** Requests currently held by {@link #hold()}. */
  public int holding() {
    return holding.get();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/revocations");
  }

  public int requests() {
    return requests.get();
  }

  /** The raw query strings received, in order. */
  public List<String> queries() {
    return List.copyOf(queries);
  }

  /** Stops listening: later polls get connection refused. */
  public void stop() {
    if (!stopped) {
      stopped = true;
      release.countDown();
      server.stop(0);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    queries.add(String.valueOf(ex.getRequestURI().getRawQuery()));
    try (ex) {
      switch (mode) {
        case SERVE -> send(ex, 200, feed(ex));
        case ERROR_500 -> send(ex, 500, "{\"error\":\"boom\"}");
        case RAW -> send(ex, 200, raw);
        case HUGE_DECLARED -> send(ex, 200, hugeFeed());
        case HUGE_CHUNKED -> {
          ex.sendResponseHeaders(200, 0); // chunked: no Content-Length to trust
          try (OutputStream out = ex.getResponseBody()) {
            out.write(hugeFeed().getBytes(StandardCharsets.US_ASCII));
          } catch (IOException closedByClient) {
            // expected: the verifier stops reading at its cap
          }
        }
        case HOLD -> {
          holding.incrementAndGet();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            holding.decrementAndGet();
          }
          send(ex, 200, feed(ex));
        }
      }
    }
  }

  private String feed(HttpExchange ex) {
    long since = 0;
    String q = ex.getRequestURI().getRawQuery();
    if (q != null && q.startsWith("since=")) {
      since = Long.parseLong(q.substring("since=".length()));
    }
    StringBuilder b = new StringBuilder("{\"revoked\":[");
    String sep = "";
    for (Map.Entry<String, Instant> e : revoked.entrySet()) {
      if (e.getValue().getEpochSecond() >= since) {
        b.append(sep)
            .append("{\"sid\":\"")
            .append(e.getKey())
            .append("\",\"at\":")
            .append(e.getValue().getEpochSecond())
            .append('}');
        sep = ",";
      }
    }
    return b.append("],\"now\":").append(clock.instant().getEpochSecond()).append('}').toString();
  }

  private String hugeFeed() {
    StringBuilder b = new StringBuilder("{\"revoked\":[");
    for (int i = 0; i < 20_000; i++) {
      b.append(i == 0 ? "" : ",").append("{\"sid\":\"s-").append(i).append("\",\"at\":1}");
    }
    return b.append("],\"now\":1}").toString();
  }

  private static void send(HttpExchange ex, int status, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("Cache-Control", "public, max-age=30");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }
}
