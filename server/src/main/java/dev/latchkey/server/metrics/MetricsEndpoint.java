package dev.latchkey.server.metrics;

import io.javalin.Javalin;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The HTTP server that serves only {@code GET /metrics} ({@code --metrics-port} on {@code
 * --metrics-host}, loopback by default): the only place the metrics are served, never the public
 * port.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final Javalin app;

  private MetricsEndpoint(Javalin app) {
    this.app = app;
  }

  /** Starts on {@code host:port} (0 picks a free port), serving {@code scrape}'s text. */
  public static MetricsEndpoint start(String host, int port, Supplier<String> scrape) {
    Javalin app =
        Javalin.create(
            c -> {
              c.startup.showJavalinBanner = false;
              c.startup.showOldJavalinVersionWarning = false;
              c.jetty.modifyHttpConfiguration(h -> h.setSendServerVersion(false));
              c.routes.get(
                  "/metrics",
                  ctx ->
                      ctx.header("Cache-Control", "no-store")
                          .contentType("text/plain; version=0.0.4; charset=utf-8")
                          .result(scrape.get()));
              c.routes.error(
                  404,
                  "*",
                  ctx ->
                      ctx.json(
                          Map.of("error", "not_found", "message", "Only GET /metrics is here.")));
            });
    app.start(host, port);
    return new MetricsEndpoint(app);
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
