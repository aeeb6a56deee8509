package dev.latchkey.server.http.exchange;

import io.javalin.http.Context;
import java.time.Duration;

/** The {@code Cache-Control} of an answer. */
public final class Caching {
  private Caching() {}

  /** For answers with a token, a session or a per-user page: never stored. */
  public static void noStore(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    ctx.header("Pragma", "no-cache");
  }

  /** For public documents (keys, discovery, the revocation feed): cacheable this long. */
  public static void publicFor(Context ctx, Duration maxAge) {
    ctx.header("Cache-Control", "public, max-age=" + maxAge.toSeconds());
  }
}
