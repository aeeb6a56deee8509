package dev.latchkey.server.hosted;

import java.util.Collection;

/**
 * The hosted login page: a plain server-rendered form that works without JavaScript, with inline
 * CSS only. Every value put into the page is HTML-escaped.
 */
public final class LoginPage {
  /** The path of the page and of its form's target. */
  public static final String PATH = "/login";

  /** The path of the page's one script: the passkey sign-in. */
  public static final String PASSKEY_SCRIPT_PATH = "/login/passkey.js";

  private static final String STYLE =
      """
      *{box-sizing:border-box}
      body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;\
      background:#f4f5f7;color:#1f2328;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
      main{width:100%;max-width:22rem;margin:1rem;padding:2rem;background:#fff;\
      border:1px solid #d0d7de;border-radius:8px}
      h1{margin:0 0 1.25rem;font-size:1.5rem;font-weight:600}
      label{display:block;margin:.75rem 0 .25rem;font-weight:500}
      input{width:100%;padding:.5rem .625rem;font:inherit;border:1px solid #8c959f;border-radius:6px}
      input:focus{outline:2px solid #0969da;outline-offset:1px;border-color:#0969da}
      button{width:100%;margin-top:1.25rem;padding:.625rem;font:inherit;font-weight:600;color:#fff;\
      background:#1f6feb;border:0;border-radius:6px;cursor:pointer}
      button:hover{background:#1a5fd0}
      .error{margin:0 0 1rem;padding:.625rem .75rem;color:#82071e;background:#ffebe9;\
      border:1px solid #ff8182;border-radius:6px}
      """;

  private LoginPage() {}

  /**
   * The {@code Content-Security-Policy} of the pages: nothing loads but the passkey script from
   * this server (which calls only this server), inline styles only, the form posts to this server
   * and may be redirected to the allowed origins (browsers apply {@code form-action} to the
   * redirect after the post too), no framing.
   */
  public static String contentSecurityPolicy(Collection<String> redirectOrigins) {
    StringBuilder formAction = new StringBuilder("'self'");
    for (String origin : redirectOrigins) {
      formAction.append(' ').append(origin);
    }
    return "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline';"
        + " form-action "
        + formAction
        + "; frame-ancestors 'none'; base-uri 'none'";
  }

  /**
   * The form.
   *
   * @param publicUrl the server's public URL: the form posts to {@link #PATH} below it
   * @param email shown again after a failure, may be empty
   * @param returnTo the checked {@code return_to}, or empty for the default target
   * @param csrf the anti-CSRF token that the form posts back
   * @param error a generic message, or {@code null}
   */
  public static String form(
      String publicUrl, String email, String returnTo, String csrf, String error) {
    String action = publicUrl + PATH;
    StringBuilder b = new StringBuilder(2048);
    head(b, "Sign in");
    b.append("<main>\n<h1>Sign in</h1>\n");
    if (error != null) {
      b.append("<p class=\"error\" role=\"alert\">").append(Html.escape(error)).append("</p>\n");
    }
    b.append("<form method=\"post\" action=\"").append(Html.escape(action)).append("\">\n");
    Html.hidden(b, "csrf", csrf);
    Html.hidden(b, "return_to", returnTo);
    b.append("<label for=\"email\">Email</label>\n")
        .append("<input id=\"email\" name=\"email\" type=\"email\"")
        .append(" autocomplete=\"username webauthn\"")
        .append(" required maxlength=\"254\" value=\"")
        .append(Html.escape(email))
        .append('"')
        .append(email == null || email.isEmpty() ? " autofocus" : "")
        .append(">\n")
        .append("<label for=\"password\">Password</label>\n")
        .append("<input id=\"password\" name=\"password\" type=\"password\"")
        .append(" autocomplete=\"current-password\" required maxlength=\"1024\"")
        .append(email == null || email.isEmpty() ? "" : " autofocus")
        .append(">\n")
        .append("<button type=\"submit\">Sign in</button>\n")
        .append("</form>\n");
    passkeyForm(b, publicUrl, returnTo, csrf);
    b.append("<p><a href=\"")
        .append(AccountPages.FORGOT_PATH)
        .append("\">Forgot your password?</a></p>\n</main>\n</body>\n</html>\n");
    return b.toString();
  }

  /**
   * "Sign in with a passkey": a form the script fills with the assertion and posts like the
   * password's, its button shown by the script where the browser has WebAuthn.
   */
  private static void passkeyForm(StringBuilder b, String publicUrl, String returnTo, String csrf) {
    b.append("<form id=\"passkey-form\" method=\"post\" action=\"")
        .append(Html.escape(publicUrl + PATH))
        .append("\">\n");
    Html.hidden(b, "csrf", csrf);
    Html.hidden(b, "return_to", returnTo);
    Html.hidden(b, "passkey", "");
    b.append("<button type=\"button\" id=\"passkey\" hidden>Sign in with a passkey</button>\n")
        .append("</form>\n<script src=\"")
        .append(Html.escape(publicUrl + PASSKEY_SCRIPT_PATH))
        .append("\" data-options=\"")
        .append(Html.escape(publicUrl + "/api/passkeys/login/options"))
        .append("\"></script>\n");
  }

  /**
   * The second step of the same form: a code from the authenticator app or a recovery code, posted
   * to the same address with the pending sign-in's token (its browser-binding cookie goes along);
   * or "Sign in with a passkey", which needs no code.
   */
  public static String secondStep(
      String publicUrl, String mfaToken, String returnTo, String csrf, String error) {
    String action = publicUrl + PATH;
    StringBuilder b = new StringBuilder(2048);
    head(b, "Sign in");
    b.append("<main>\n<h1>Enter your code</h1>\n");
    if (error != null) {
      b.append("<p class=\"error\" role=\"alert\">").append(Html.escape(error)).append("</p>\n");
    }
    b.append("<form method=\"post\" action=\"").append(Html.escape(action)).append("\">\n");
    Html.hidden(b, "csrf", csrf);
    Html.hidden(b, "return_to", returnTo);
    Html.hidden(b, "mfa_token", mfaToken);
    b.append("<label for=\"code\">Code from your authenticator app, or a recovery code</label>\n")
        .append("<input id=\"code\" name=\"code\" type=\"text\" inputmode=\"numeric\"")
        .append(" autocomplete=\"one-time-code\" required maxlength=\"32\" autofocus>\n")
        .append("<button type=\"submit\">Verify</button>\n")
        .append("</form>\n");
    // a passkey signs in on its own (it is both factors): the way on for a user without a code
    passkeyForm(b, publicUrl, returnTo, csrf);
    b.append("<p><a href=\"")
        .append(PATH)
        .append("\">Start again</a></p>\n</main>\n</body>\n</html>\n");
    return b.toString();
  }

  /** The page the default target shows when no application is configured. */
  public static String signedIn() {
    StringBuilder b = new StringBuilder(1024);
    head(b, "Signed in");
    b.append("<main>\n<h1>Signed in</h1>\n<p>You are signed in. You can close this page.</p>\n")
        .append("</main>\n</body>\n</html>\n");
    return b.toString();
  }

  static void head(StringBuilder b, String title) {
    b.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
        .append("<title>")
        .append(Html.escape(title))
        .append("</title>\n<style>\n")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n");
  }
}
