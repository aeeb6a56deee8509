package dev.latchkey.server.http;

import dev.latchkey.server.http.exchange.ApiError;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CORS for the single-page application: only origins on the allow-list (exact match, never a
 * wildcard) get {@code Access-Control-Allow-Origin}, with credentials allowed.
 */
final class Cors {
  /** What the page sends: JSON, its token, the XSRF header, and a DPoP proof (RFC 9449). */
  private static final Set<String> ALLOWED_HEADERS =
      Set.of("content-type", "authorization", "x-xsrf-token", "dpop");

  /**
   * What the page may read of an answer: when to retry, the server's DPoP nonce and the challenge
   * that asks for it.
   */
  private static final String EXPOSED_HEADERS = "Retry-After, DPoP-Nonce, WWW-Authenticate";

  private final Set<String> origins;

  Cors(List<String> origins) {
    this.origins = Set.copyOf(origins);
  }

  boolean allows(String origin) {
    return origin != null && origins.contains(origin);
  }

  /** Before every request: adds the CORS headers when the origin is allowed. */
  void apply(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null) {
      return;
    }
    ctx.header("Vary", "Origin");
    if (allows(origin)) {
      ctx.header("Access-Control-Allow-Origin", origin);
      ctx.header("Access-Control-Allow-Credentials", "true");
      ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    }
  }

  /** Answers a preflight request: 204 for an allowed origin, 403 otherwise. */
  void preflight(Context ctx) {
    String origin = ctx.header("Origin");
    if (!allows(origin)) {
      throw new ApiError(403, "origin_not_allowed", "This origin may not call the API.");
    }
    String requested = ctx.header("Access-Control-Request-Headers");
    String headers =
        requested == null
            ? ""
            : Arrays.stream(requested.split(","))
                .map(h -> h.strip().toLowerCase(Locale.ROOT))
                .filter(ALLOWED_HEADERS::contains)
                .collect(Collectors.joining(", "));
    ctx.header("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
    if (!headers.isEmpty()) {
      ctx.header("Access-Control-Allow-Headers", headers);
    }
    ctx.header("Access-Control-Max-Age", "600");
    ctx.status(204);
  }
}
