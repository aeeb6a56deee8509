package dev.latchkey.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The demo's built Angular client (classpath {@code public/}) served as a static site would serve
 * it: files as they are, every other path the app's {@code index.html} (its routes), and the given
 * {@code /config.json}, which tells the client where the auth server and the API are.
 */
final class StaticClient implements AutoCloseable {

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "json", "application/json",
          "ico", "image/x-icon",
          "svg", "image/svg+xml",
          "png", "image/png");

  private final HttpServer server;

  private StaticClient(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free loopback port; {@code configJson} is read at each request. */
  static StaticClient start(Supplier<String> configJson) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/config.json")) {
              send(exchange, "json", configJson.get().getBytes(StandardCharsets.UTF_8));
              return;
            }
            String name = path.equals("/") || path.contains("..") ? "/index.html" : path;
            byte[] file = read("/public" + name);
            if (file == null) {
              name = "/index.html";
              file = read("/public/index.html");
            }
            send(exchange, name.substring(name.lastIndexOf('.') + 1), file);
          }
        });
    server.start();
    return new StaticClient(server);
  }

  String baseUrl() {
    return "http://localhost:" + server.getAddress().getPort();
  }

  private static byte[] read(String resource) throws IOException {
    try (InputStream in = StaticClient.class.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  private static void send(HttpExchange exchange, String extension, byte[] body)
      throws IOException {
    exchange
        .getResponseHeaders()
        .set("Content-Type", TYPES.getOrDefault(extension, "application/octet-stream"));
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
