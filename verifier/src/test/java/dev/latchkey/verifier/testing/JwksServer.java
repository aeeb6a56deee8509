package dev.latchkey.verifier.testing;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A JWK Set endpoint on a loopback port whose behaviour the test switches. */
public final class JwksServer implements AutoCloseable {
  static {
    // Headers and body go out in two writes; without TCP_NODELAY, Nagle's algorithm and the
    // client's delayed ACK add about 40 ms to every loopback request.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** What the endpoint answers. */
  public enum Mode {
    SERVE,
    ERROR_500,
    GARBAGE,
    EMPTY_SET,
    MALFORMED_SET,
    SLOW,
    HUGE
  }

  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile String body;
  private volatile Mode mode = Mode.SERVE;
  private volatile boolean stopped;
  private volatile String cacheControl;

  public JwksServer(JWK... keys) throws IOException {
    publish(keys);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/.well-known/jwks.json", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  public void publish(JWK... keys) {
    this.body = new JWKSet(List.of(keys)).toString(true);
  }

  /** Answers with this {@code Cache-Control} header from now on (none by default). */
  public void cacheControl(String value) {
    cacheControl = value;
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  public URI uri() {
    return URI.create(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json");
  }

  public int requests() {
    return requests.get();
  }

  /** Stops listening: later fetches get connection refused. */
  public void stop() {
    if (!stopped) {
      stopped = true;
      server.stop(0);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    try (ex) {
      switch (mode) {
        case SERVE -> send(ex, 200, body);
        case ERROR_500 -> send(ex, 500, "{\"error\":\"boom\"}");
        case GARBAGE -> send(ex, 200, "<html>not json</html>");
        case EMPTY_SET -> send(ex, 200, "{\"keys\":[]}");
        case MALFORMED_SET -> send(ex, 200, "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"x\"}]}");
        case SLOW -> {
          try {
            Thread.sleep(3_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          send(ex, 200, body);
        }
        case HUGE -> {
          byte[] chunk = " ".repeat(8192).getBytes(StandardCharsets.US_ASCII);
          ex.sendResponseHeaders(200, 0); // chunked: no Content-Length to trust
          try (OutputStream out = ex.getResponseBody()) {
            out.write("{\"keys\":[".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 256; i++) {
              out.write(chunk);
            }
          } catch (IOException closedByClient) {
            // expected: the verifier stops reading at its cap
          }
        }
      }
    }
  }

  private void send(HttpExchange ex, int status, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    if (cacheControl != null) {
      ex.getResponseHeaders().set("Cache-Control", cacheControl);
    }
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }
}
