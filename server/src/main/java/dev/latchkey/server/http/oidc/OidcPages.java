package dev.latchkey.server.http.oidc;

import dev.latchkey.server.hosted.Html;
import dev.latchkey.server.http.exchange.Caching;
import io.javalin.http.Context;
import java.net.URI;
import java.util.Map;

/**
 * The provider's own pages: the error page for an authorization request that cannot be answered to
 * its client (an unknown client, a redirect URI not registered: never redirected to), the question
 * before a logout the browser's own session does not stand for, and the page after a logout without
 * a return address.
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

  /**
   * Asks whether to sign out: a form that posts the logout request's own parameters back to {@code
   * /logout} with {@code confirm} and the anti-CSRF token; it may then be redirected to {@code
   * returnTo} (browsers apply {@code form-action} to the redirect after the post too).
   *
   * @param status 200, or 403 when a confirmation came without the right anti-CSRF token
   * @param fields the hidden fields, in order
   * @param returnTo the checked {@code post_logout_redirect_uri}, or {@code null}
   */
  static void confirmLogout(Context ctx, int status, Map<String, String> fields, String returnTo) {
    StringBuilder form =
        new StringBuilder(
            "<p>An application asked to sign you out.</p>"
                + "<form method=\"post\" action=\"logout\">");
    fields.forEach((name, value) -> Html.hidden(form, name, value));
    form.append("<button type=\"submit\" id=\"sign-out\">Sign out</button></form>");
    String formAction = returnTo == null ? "'self'" : "'self' " + origin(returnTo);
    page(
        ctx,
        status,
        "Sign out?",
        form.toString(),
        CSP + "; form-action " + formAction + "; frame-ancestors 'none'; base-uri 'none'");
  }

  /** The CSP source of a URL's origin: {@code scheme://host[:port]}, or {@code scheme:}. */
  private static String origin(String url) {
    URI uri = URI.create(url);
    if (uri.getHost() == null) {
      return uri.getScheme() + ":";
    }
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }

  private static void page(Context ctx, int status, String title, String body) {
    page(ctx, status, title, body, CSP);
  }

  private static void page(Context ctx, int status, String title, String body, String csp) {
    Caching.noStore(ctx);
    ctx.header("Content-Security-Policy", csp);
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
