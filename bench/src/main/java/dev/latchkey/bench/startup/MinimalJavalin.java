package dev.latchkey.bench.startup;

import io.javalin.Javalin;

/**
 * The start-up baseline of {@code bench/startup.sh}: a Javalin application with one route ({@code
 * GET /health}) and nothing else, on {@code 127.0.0.1:<port>} (first argument, default 7000).
 */
public final class MinimalJavalin {
  private MinimalJavalin() {}

  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 7000;
    Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.routes.get("/health", ctx -> ctx.result("ok"));
            })
        .start("127.0.0.1", port);
  }
}
