package dev.latchkey.server.http.exchange;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Double-submit protection of the hosted pages' forms (login, account, logout confirmation): a
 * random token (256 bits) in a cookie (see {@link BrowserCookies#setHostedLoginCsrf}) and the same
 * token in a hidden form field; a post whose field does not equal the cookie is refused.
 */
public final class CsrfToken {
  private CsrfToken() {}

  /**
   * The token for a form about to be shown: the browser's cookie's when it looks like one of ours,
   * else a fresh one; the cookie is set (renewed) on this answer.
   */
  public static String forForm(BrowserCookies cookies, Context ctx) {
    String sent = cookies.hostedLoginCsrf(ctx);
    String token = wellFormed(sent) ? sent : BrowserCookies.randomToken();
    cookies.setHostedLoginCsrf(ctx, token);
    return token;
  }

  /** Whether the posted field equals the cookie (both present and well formed). */
  public static boolean matches(String cookieValue, String fieldValue) {
    if (!wellFormed(cookieValue) || !wellFormed(fieldValue)) {
      return false;
    }
    return MessageDigest.isEqual(
        cookieValue.getBytes(StandardCharsets.US_ASCII),
        fieldValue.getBytes(StandardCharsets.US_ASCII));
  }

  private static boolean wellFormed(String token) {
    return token != null && token.length() == 43 && token.matches("[A-Za-z0-9_-]+");
  }
}
