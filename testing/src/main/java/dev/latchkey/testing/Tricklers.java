package dev.latchkey.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slow clients ("slowloris"): {@code count} raw connections that each send a request's headers
 * announcing a body, then trickle the body a byte at a time, one byte per connection every {@code
 * interval}. A connection the server closes (or answers) is counted and opened again, so the server
 * always has {@code count} trickling connections.
 */
public final class Tricklers implements AutoCloseable {
  private static final int BODY_LENGTH = 10_000;

  private final String host;
  private final int port;
  private final String requestHead;
  private final List<Socket> sockets = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final AtomicInteger cut = new AtomicInteger();
  private final AtomicInteger answered408 = new AtomicInteger();

  private Tricklers(String host, int port, String method, String path) {
    this.host = host;
    this.port = port;
    this.requestHead =
        method
            + " "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + ":"
            + port
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + BODY_LENGTH
            + "\r\n\r\n{";
  }

  /** Opens {@code count} trickling connections and starts trickling. */
  public static Tricklers start(
      String host, int port, String method, String path, int count, long intervalMillis)
      throws IOException {
    Tricklers t = new Tricklers(host, port, method, path);
    for (int i = 0; i < count; i++) {
      t.sockets.add(t.open());
    }
    t.timer.scheduleWithFixedDelay(
        t::trickle, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    return t;
  }

  /** A check a test makes while the connections trickle, e.g. that an endpoint still answers. */
  @FunctionalInterface
  public interface Check {
    void run() throws Exception;
  }

  /**
   * Runs {@code check} over and over, 200 ms apart, for {@code duration} while the connections
   * trickle; a failed check ends it.
   *
   * @return how many times the check ran
   */
  public int checkRepeatedly(Duration duration, Check check) throws Exception {
    long until = System.nanoTime() + duration.toNanos();
    int rounds = 0;
    while (System.nanoTime() < until) {
      check.run();
      rounds++;
      Thread.sleep(200);
    }
    return rounds;
  }

  /** How many connections the server has closed or answered so far. */
  public int cut() {
    return cut.get();
  }

  /** How many of those got a {@code 408} answer. */
  public int answered408() {
    return answered408.get();
  }

  private Socket open() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(host, port), 2000);
    s.setTcpNoDelay(true);
    s.getOutputStream().write(requestHead.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  private void trickle() {
    for (int i = 0; i < sockets.size(); i++) {
      Socket s = sockets.get(i);
      try {
        if (answeredOrClosed(s)) {
          s.close();
          cut.incrementAndGet();
          sockets.set(i, open());
          continue;
        }
        s.getOutputStream().write(' ');
        s.getOutputStream().flush();
      } catch (IOException e) {
        try {
          s.close();
          cut.incrementAndGet();
          sockets.set(i, open());
        } catch (IOException ignored) {
          // the server refuses for now: try again at the next tick
        }
      }
    }
  }

  private boolean answeredOrClosed(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    if (in.available() > 0) {
      byte[] head = new byte[Math.min(in.available(), 64)];
      int n = in.read(head);
      if (new String(head, 0, Math.max(n, 0), StandardCharsets.US_ASCII).contains(" 408 ")) {
        answered408.incrementAndGet();
      }
      return true;
    }
    return false;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
