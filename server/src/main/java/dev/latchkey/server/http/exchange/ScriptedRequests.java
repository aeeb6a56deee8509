package dev.latchkey.server.http.exchange;

import dev.latchkey.verifier.wire.BearerToken;
import dev.latchkey.verifier.wire.Xsrf;
import io.javalin.http.Context;

/**
 * Refuses a request that a cross-site HTML form could send. A form posts only {@code
 * application/x-www-form-urlencoded}, {@code multipart/form-data} or {@code text/plain} and sets no
 * header of its own; a script on another origin that sends {@code application/json}, {@code
 * Authorization} or {@code X-XSRF-TOKEN} makes the browser ask the CORS preflight first, which only
 * allow-listed origins pass. For the routes that end or renew a session on the strength of a cookie
 * ({@code /api/logout}, {@code /api/refresh}, {@code /api/refresh/logout}); the body is not read,
 * so an empty one is fine.
 */
public final class ScriptedRequests {
  private ScriptedRequests() {}

  /**
   * Passes a request with {@code Content-Type: application/json} or with an {@code Authorization}
   * or {@code X-XSRF-TOKEN} header.
   *
   * @throws ApiError {@code 415 unsupported_media_type}, the answer login gives a form post
   */
  public static void require(Context ctx) {
    if (ctx.header(BearerToken.HEADER) != null || ctx.header(Xsrf.HEADER) != null) {
      return;
    }
    Json.requireJsonContentType(ctx);
  }
}
