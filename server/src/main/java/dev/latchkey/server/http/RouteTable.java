package dev.latchkey.server.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import java.util.HashSet;
import java.util.Set;

/**
 * Registers the routes: every path once, and its CORS preflight ({@code OPTIONS}) when a browser
 * script calls it from another origin (the JSON API), so the preflight paths are exactly the API's.
 */
final class RouteTable {
  private final JavalinConfig config;
  private final Cors cors;
  private final Set<String> preflighted = new HashSet<>();

  RouteTable(JavalinConfig config, Cors cors) {
    this.config = config;
    this.cors = cors;
  }

  /** A JSON API route that browser scripts call: with its preflight. */
  RouteTable api(String method, String path, Handler handler) {
    register(method, path, handler);
    if (preflighted.add(path)) {
      config.routes.options(path, cors::preflight);
    }
    return this;
  }

  /**
   * A route read by servers, crawlers or browsers navigating (pages, keys, health): no preflight.
   */
  RouteTable plain(String method, String path, Handler handler) {
    register(method, path, handler);
    return this;
  }

  private void register(String method, String path, Handler handler) {
    switch (method) {
      case "GET" -> config.routes.get(path, handler);
      case "POST" -> config.routes.post(path, handler);
      case "DELETE" -> config.routes.delete(path, handler);
      default -> throw new IllegalArgumentException("no route table entry for " + method);
    }
  }
}
