package dev.latchkey.server.http;

import dev.latchkey.server.http.exchange.Json;
import dev.latchkey.server.metrics.ServerMetrics;
import dev.latchkey.verifier.javalin.JsonErrors;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server under the routes: Jetty's address, limits and slow-client protection, its
 * metrics, and the headers of every answer.
 */
final class JavalinSetup {
  private static final Logger log = LoggerFactory.getLogger(JavalinSetup.class);

  private JavalinSetup() {}

  static void configure(JavalinConfig c, HttpSettings http, Cors cors, ServerMetrics metrics) {
    c.startup.showJavalinBanner = false;
    c.startup.showOldJavalinVersionWarning = false;
    c.http.maxRequestSize = Json.MAX_BODY_BYTES;
    c.jetty.host = http.host();
    c.jetty.port = http.port();
    c.jetty.modifyHttpConfiguration(h -> h.setSendServerVersion(false));
    JsonErrors.install(c); // Jetty's own errors (e.g. a malformed URI) in our JSON shape
    http.slowClients().install(c);
    c.routes.before(ctx -> commonHeaders(ctx, cors));
    c.jetty.modifyServer(
        server -> {
          try {
            new JettyServerThreadPoolMetrics(server.getThreadPool(), List.of())
                .bindTo(metrics.registry());
            JettyConnectionMetrics.addToAllConnectors(server, metrics.registry());
          } catch (LinkageError e) {
            log.warn("Jetty metrics unavailable: {}", e.toString());
          }
        });
  }

  private static void commonHeaders(Context ctx, Cors cors) {
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
    cors.apply(ctx);
  }
}
