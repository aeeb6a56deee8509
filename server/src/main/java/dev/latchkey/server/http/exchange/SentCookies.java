package dev.latchkey.server.http.exchange;

import io.javalin.http.Context;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The cookies a request sent, parsed from its raw {@code Cookie} header lines. The servlet's own
 * parsing keeps one value of a name silently; here a name of {@code guarded} that comes twice is
 * refused, as a sibling sub-domain (or a path-scoped cookie) can set a cookie of our name beside
 * the browser's own, and which of the two a server reads is not the user's choice.
 */
final class SentCookies {
  private SentCookies() {}

  /**
   * The request's cookies by name (the first value of a name not in {@code guarded}).
   *
   * @throws ApiError {@code 400 duplicate_cookie} when a name of {@code guarded} comes twice
   */
  static Map<String, String> of(Context ctx, Set<String> guarded) {
    Map<String, String> cookies = new HashMap<>();
    for (String line : Collections.list(ctx.req().getHeaders("Cookie"))) {
      for (String pair : line.split(";")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          continue;
        }
        String name = pair.substring(0, eq).strip();
        String value = unquoted(pair.substring(eq + 1).strip());
        if (cookies.putIfAbsent(name, value) != null && guarded.contains(name)) {
          throw new ApiError(
              400,
              "duplicate_cookie",
              "The request carries two cookies named "
                  + name
                  + ": another site may have set one. Clear this site's cookies and log in again.");
        }
      }
    }
    return cookies;
  }

  private static String unquoted(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }
}
