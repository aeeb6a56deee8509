package dev.latchkey.server.accounts;

import dev.latchkey.server.hosted.Html;
import dev.latchkey.server.mail.OutgoingMail;

/**
 * The texts of the account mails, each as plain text and HTML. Every value put into the HTML is
 * escaped; links are the only variable part besides the address.
 */
final class AccountMails {
  private AccountMails() {}

  static OutgoingMail verification(String to, String link) {
    return mail(
        "email_verification",
        to,
        "Confirm your email address",
        "Welcome! Confirm that this address is yours to finish creating your account:",
        link,
        "Confirm my email",
        "The link works once, for 24 hours. If you did not sign up, ignore this mail.");
  }

  static OutgoingMail signupAttemptOnExisting(String to, String loginUrl) {
    return mail(
        "signup_existing",
        to,
        "Someone tried to sign up with your address",
        "Someone tried to create an account with this email address, which already has one."
            + " If it was you, log in, or reset your password if you forgot it:",
        loginUrl,
        "Log in",
        "If it was not you, nothing has changed and you can ignore this mail.");
  }

  static OutgoingMail passwordReset(String to, String link) {
    return mail(
        "password_reset",
        to,
        "Reset your password",
        "Someone asked to reset the password of your account. To choose a new password, open:",
        link,
        "Choose a new password",
        "The link works once, for 30 minutes; only the newest link works. If you did not ask for"
            + " it, ignore this mail: your password stays as it is.");
  }

  static OutgoingMail passwordChanged(String to, String how) {
    return mail(
        "password_changed",
        to,
        "Your password was changed",
        "The password of your account was just " + how + ".",
        null,
        null,
        "If this was not you, reset your password at once and contact your administrator.");
  }

  private static OutgoingMail mail(
      String kind,
      String to,
      String subject,
      String intro,
      String link,
      String linkLabel,
      String outro) {
    StringBuilder text = new StringBuilder();
    text.append(intro).append("\n\n");
    if (link != null) {
      text.append(link).append("\n\n");
    }
    text.append(outro).append("\n");
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html><body style=\"font-family:sans-serif\">\n<p>")
        .append(Html.escape(intro))
        .append("</p>\n");
    if (link != null) {
      html.append("<p><a href=\"")
          .append(Html.escape(link))
          .append("\">")
          .append(Html.escape(linkLabel))
          .append("</a></p>\n<p style=\"font-size:smaller\">")
          .append(Html.escape(link))
          .append("</p>\n");
    }
    html.append("<p>").append(Html.escape(outro)).append("</p>\n</body></html>\n");
    return new OutgoingMail(kind, to, subject, text.toString(), html.toString(), link);
  }
}
