package dev.latchkey.server.hosted;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The hosted account pages: "forgot password", "set a new password" and "confirm my email". The
 * mailed links carry their token in the URL fragment, which never reaches a server; one inline
 * script, allowed by its hash alone, copies it into the form and removes it from the address bar.
 * Every value put into a page is HTML-escaped.
 */
public final class AccountPages {
  public static final String FORGOT_PATH = "/login/forgot-password";
  public static final String RESET_PATH = "/login/reset-password";
  public static final String VERIFY_PATH = "/login/verify-email";

  /** Moves {@code #token=...} into the form's hidden field and out of the address bar. */
  private static final String FRAGMENT_SCRIPT =
      "(function(){var m=/[#&]token=([A-Za-z0-9_-]+)/.exec(location.hash);"
          + "if(m){document.getElementById('token').value=m[1];"
          + "history.replaceState(null,'',location.pathname);}})();";

  private AccountPages() {}

  /** The pages' policy: like the login page's, plus the one script by its hash. */
  public static String contentSecurityPolicy() {
    return "default-src 'none'; style-src 'unsafe-inline'; script-src '"
        + scriptHash()
        + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  }

  static String scriptHash() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(FRAGMENT_SCRIPT.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String forgot(String csrf, String notice) {
    StringBuilder b = start("Forgot your password?", notice == null ? null : null);
    if (notice != null) {
      b.append("<p role=\"status\">").append(Html.escape(notice)).append("</p>\n");
      return end(b, true);
    }
    b.append("<p>Enter the email of your account; we will mail you a link to set a new password.")
        .append("</p>\n<form method=\"post\" action=\"")
        .append(FORGOT_PATH)
        .append("\">\n");
    Html.hidden(b, "csrf", csrf);
    b.append("<label for=\"email\">Email</label>\n")
        .append("<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\"")
        .append(" required maxlength=\"254\" autofocus>\n")
        .append("<button type=\"submit\">Send the link</button>\n</form>\n");
    return end(b, true);
  }

  public static String reset(String csrf, String token, String error) {
    StringBuilder b = start("Set a new password", error);
    b.append("<form method=\"post\" action=\"").append(RESET_PATH).append("\">\n");
    Html.hidden(b, "csrf", csrf);
    tokenField(b, token);
    b.append("<label for=\"password\">New password</label>\n")
        .append("<input id=\"password\" name=\"password\" type=\"password\"")
        .append(" autocomplete=\"new-password\" required minlength=\"12\" maxlength=\"1024\"")
        .append(" autofocus>\n")
        .append("<button type=\"submit\">Set the password</button>\n</form>\n");
    script(b);
    return end(b, false);
  }

  public static String verify(String csrf, String token, String error) {
    StringBuilder b = start("Confirm your email", error);
    b.append("<form method=\"post\" action=\"").append(VERIFY_PATH).append("\">\n");
    Html.hidden(b, "csrf", csrf);
    tokenField(b, token);
    b.append("<p>Enter the password you chose when you signed up. If you did not sign up, ignore")
        .append(" this link; to use this address, <a href=\"")
        .append(FORGOT_PATH)
        .append("\">set a new password</a> instead.</p>\n")
        .append("<label for=\"password\">Password</label>\n")
        .append("<input id=\"password\" name=\"password\" type=\"password\"")
        .append(" autocomplete=\"current-password\" required maxlength=\"1024\" autofocus>\n")
        .append("<button type=\"submit\">Confirm my email</button>\n</form>\n");
    script(b);
    return end(b, false);
  }

  /** A page that says it is done, with the way to the sign-in page. */
  public static String done(String title, String message) {
    StringBuilder b = start(title, null);
    b.append("<p role=\"status\">").append(Html.escape(message)).append("</p>\n");
    return end(b, true);
  }

  private static StringBuilder start(String title, String error) {
    StringBuilder b = new StringBuilder(2048);
    LoginPage.head(b, title);
    b.append("<main>\n<h1>").append(Html.escape(title)).append("</h1>\n");
    if (error != null) {
      b.append("<p class=\"error\" role=\"alert\">").append(Html.escape(error)).append("</p>\n");
    }
    return b;
  }

  private static void tokenField(StringBuilder b, String token) {
    b.append("<input type=\"hidden\" id=\"token\" name=\"token\" value=\"")
        .append(Html.escape(token))
        .append("\">\n");
  }

  private static void script(StringBuilder b) {
    b.append("<script>").append(FRAGMENT_SCRIPT).append("</script>\n");
  }

  private static String end(StringBuilder b, boolean signInLink) {
    if (signInLink) {
      b.append("<p><a href=\"").append(LoginPage.PATH).append("\">Sign in</a></p>\n");
    }
    return b.append("</main>\n</body>\n</html>\n").toString();
  }
}
