package dev.latchkey.server.http.oidc;

import dev.latchkey.server.hosted.Html;
import dev.latchkey.server.http.exchange.Caching;
import io.javalin.http.Context;

/**
 * The provider's own pages: the error page for an authorization request that cannot be answered to
 * its client (an unknown client, a redirect URI not registered: never redirected to), and the page
 * after a logout without a return address.
 */
final class OidcPages {
  private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'";

  private OidcPages() {}

  static void error(Context ctx, int status, String error, String description) {
    page(
        ctx,
        status,
        "Sign-in cannot continue",
        "<p>" + Html.escape(description) + "</p><p><code>" + Html.escape(error) + "</code></p>");
  }

  /**
   * Continues to {@code url} with a meta refresh (and a link): how an authorization answer leaves
   * the auth server right after the hosted login form.
   */
  static void continueTo(Context ctx, String url) {
    ctx.header("Referrer-Policy", "no-referrer");
    String href = Html.escape(url);
    page(
        ctx,
        200,
        "Signed in",
        "<meta http-equiv=\"refresh\" content=\"0;url="
            + href
            + "\"><p><a id=\"continue\" href=\""
            + href
            + "\">Continue</a></p>");
  }

  static void signedOut(Context ctx) {
    page(ctx, 200, "Signed out", "<p>You are signed out.</p>");
  }

  private static void page(Context ctx, int status, String title, String body) {
    Caching.noStore(ctx);
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Frame-Options", "DENY");
    ctx.status(status)
        .html(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                + Html.escape(title)
                + "</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;"
                + "margin:4rem auto;padding:0 1rem}</style></head><body><h1>"
                + Html.escape(title)
                + "</h1>"
                + body
                + "</body></html>");
  }
}
