package dev.latchkey.verifier.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.latchkey.verifier.wire.RevocationFeedFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The auth server's revocation feed, {@code GET /api/revocations?after=}, on a loopback port: each
 * revocation gets the next sequence number; it lists those above {@code after} (all of them, as a
 * snapshot, without {@code after}), with {@code now} from the test's clock, and can be switched to
 * failing or hostile answers, or held (a request that waits for the test).
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

  /** One revocation: a session ({@code key} false) or a signing key. */
  private record Row(long seq, boolean key, String id, Instant at, Instant until) {}

  private final List<Row> rows = new CopyOnWriteArrayList<>();
  private final AtomicLong seq = new AtomicLong();
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

  /** Lists {@code sid} as revoked now (by the test clock), mattering for 1 h (the tokens' life). */
  public void revoke(String sid) {
    revoke(sid, clock.instant().plus(Duration.ofHours(1)));
  }

  /** Lists {@code sid} as revoked now, mattering until {@code until}. */
  public void revoke(String sid, Instant until) {
    rows.add(new Row(seq.incrementAndGet(), false, sid, clock.instant(), until));
  }

  /** Lists signing key {@code kid} as revoked now, mattering until {@code until}. */
  public void revokeKey(String kid, Instant until) {
    rows.add(new Row(seq.incrementAndGet(), true, kid, clock.instant(), until));
  }

  /**
   * Drops every entry (as the auth server does once they no longer matter); the sequence goes on.
   */
  public void purge() {
    rows.clear();
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
    long after = -1;
    String q = ex.getRequestURI().getRawQuery();
    if (q != null && q.startsWith("after=")) {
      after = Long.parseLong(q.substring("after=".length()));
    }
    long head = seq.get();
    long oldest = rows.stream().mapToLong(Row::seq).min().orElse(head + 1);
    boolean snapshot = after < 0 || after > head || after < oldest - 1;
    List<RevocationFeedFormat.Entry> sessions = new ArrayList<>();
    List<RevocationFeedFormat.Entry> keys = new ArrayList<>();
    for (Row r : rows) {
      if (snapshot || r.seq() > after) {
        (r.key() ? keys : sessions)
            .add(
                new RevocationFeedFormat.Entry(
                    r.id(), r.at().getEpochSecond(), r.until().getEpochSecond()));
      }
    }
    return RevocationFeedFormat.write(
        new RevocationFeedFormat.Page(
            sessions, keys, head, snapshot, clock.instant().getEpochSecond()));
  }

  private String hugeFeed() {
    StringBuilder b = new StringBuilder("{\"revoked\":[");
    for (int i = 0; i < 20_000; i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"sid\":\"s-")
          .append(i)
          .append("\",\"at\":1,\"until\":1}");
    }
    return b.append("],\"keys\":[],\"cursor\":1,\"snapshot\":false,\"now\":1}").toString();
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
