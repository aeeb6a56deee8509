package dev.latchkey.server.http.hostedlogin;

import dev.latchkey.server.http.exchange.ApiError;
import java.util.Map;

/**
 * The hosted pages' words for the failure mapping's answers: the page shows the answer's status and
 * headers with a sentence for a person, and says no more than the JSON answer.
 */
final class PageMessages {
  static final String SOMETHING_WENT_WRONG = "Something went wrong on our side. Please try again.";

  /** Refusals and outages any hosted form can meet. */
  private static final Map<String, String> COMMON =
      Map.of(
          "busy", "Too many sign-ins at once. Please try again in a moment.",
          "unavailable", "The service is temporarily unavailable. Please try again.");

  private static final Map<String, String> SIGN_IN =
      Map.of(
          "invalid_credentials",
          "The email or password is incorrect. If you signed up recently, confirm your address"
              + " first with the link we mailed you.",
          "too_many_attempts",
          "Too many failed sign-ins. Please try again later.");

  private static final Map<String, String> LINKS =
      Map.of(
          "invalid_token", "This link is not valid. Ask for a new one.",
          "token_expired", "This link has expired. Ask for a new one.",
          "token_used", "This link has already been used.",
          "token_superseded", "A newer link was sent after this one: use the newest link.");

  private PageMessages() {}

  /** The login form's sentence for a failed sign-in. */
  static String forSignIn(ApiError answer) {
    return SIGN_IN.getOrDefault(answer.error(), common(answer));
  }

  /** The account pages' sentence for a link or a password that did not work. */
  static String forAccountPage(ApiError answer) {
    if (answer.error().equals("weak_password")) {
      return answer.getMessage();
    }
    if (answer.error().equals("wrong_password")) {
      return "This is not the password of this account. If you did not sign up, set a new"
          + " password with \"Forgot your password?\" instead.";
    }
    if (answer.error().equals("too_many_attempts")) {
      return SIGN_IN.get("too_many_attempts");
    }
    if (LINKS.containsKey(answer.error())) {
      return LINKS.get(answer.error());
    }
    return answer.status() == 400 ? "This link is not valid." : common(answer);
  }

  private static String common(ApiError answer) {
    return COMMON.getOrDefault(answer.error(), SOMETHING_WENT_WRONG);
  }
}
