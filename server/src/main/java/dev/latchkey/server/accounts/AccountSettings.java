package dev.latchkey.server.accounts;

import dev.latchkey.server.mail.MailSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Verified email, password reset and password change.
 *
 * @param mail where account mails go ({@link MailSettings})
 * @param requireVerifiedEmail whether sign-up accounts must follow the mailed link before logging
 *     in (accounts made by {@code latchkey users add} are verified)
 * @param pagesUrl the base URL of the client's account pages ({@code /verify-email}, {@code
 *     /reset-password}), or {@code null} for the hosted pages of the auth server
 * @param verificationTtl how long a verification link works
 * @param resetTtl how long a password reset link works
 * @param mailLimit how many account mails one address, and one account, gets per {@code mailWindow}
 * @param mailWindow the throttle's window
 * @param signupLimit how many sign-ups one client address may make per {@code signupWindow}
 * @param signupWindow the sign-up limit's window
 */
public record AccountSettings(
    MailSettings mail,
    boolean requireVerifiedEmail,
    String pagesUrl,
    Duration verificationTtl,
    Duration resetTtl,
    int mailLimit,
    Duration mailWindow,
    int signupLimit,
    Duration signupWindow) {

  public AccountSettings {
    Objects.requireNonNull(mail, "mail");
    Objects.requireNonNull(verificationTtl, "verificationTtl");
    Objects.requireNonNull(resetTtl, "resetTtl");
    Objects.requireNonNull(mailWindow, "mailWindow");
    if (pagesUrl != null) {
      if (!pagesUrl.matches("https?://[^\\s?#]+")) {
        throw new IllegalArgumentException(
            "--account-pages-url is http(s)://host[:port][/path], got " + pagesUrl);
      }
      pagesUrl = pagesUrl.endsWith("/") ? pagesUrl.substring(0, pagesUrl.length() - 1) : pagesUrl;
    }
    Objects.requireNonNull(signupWindow, "signupWindow");
    if (signupLimit < 1) {
      throw new IllegalArgumentException("the sign-up limit must be at least 1");
    }
    if (mailLimit < 1) {
      throw new IllegalArgumentException("the account mail limit must be at least 1");
    }
  }

  /** No mail transport, verified email required (it matters only while sign-up is on). */
  public static AccountSettings defaults() {
    return new AccountSettings(
        MailSettings.defaults(),
        true,
        null,
        Duration.ofHours(24),
        Duration.ofMinutes(30),
        3,
        Duration.ofMinutes(15),
        5,
        Duration.ofMinutes(15));
  }

  public AccountSettings withMail(MailSettings v) {
    return new AccountSettings(
        v,
        requireVerifiedEmail,
        pagesUrl,
        verificationTtl,
        resetTtl,
        mailLimit,
        mailWindow,
        signupLimit,
        signupWindow);
  }

  public AccountSettings withRequireVerifiedEmail(boolean v) {
    return new AccountSettings(
        mail,
        v,
        pagesUrl,
        verificationTtl,
        resetTtl,
        mailLimit,
        mailWindow,
        signupLimit,
        signupWindow);
  }

  public AccountSettings withPagesUrl(String v) {
    return new AccountSettings(
        mail,
        requireVerifiedEmail,
        v,
        verificationTtl,
        resetTtl,
        mailLimit,
        mailWindow,
        signupLimit,
        signupWindow);
  }

  public AccountSettings withMailLimit(int v, Duration window) {
    return new AccountSettings(
        mail,
        requireVerifiedEmail,
        pagesUrl,
        verificationTtl,
        resetTtl,
        v,
        window,
        signupLimit,
        signupWindow);
  }

  public AccountSettings withSignupLimit(int v, Duration window) {
    return new AccountSettings(
        mail,
        requireVerifiedEmail,
        pagesUrl,
        verificationTtl,
        resetTtl,
        mailLimit,
        mailWindow,
        v,
        window);
  }
}
