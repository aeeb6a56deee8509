package dev.latchkey.cli;

import dev.latchkey.server.accounts.AccountSettings;
import dev.latchkey.server.mail.MailSettings;
import dev.latchkey.server.mail.MailTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How {@code serve} sends account mails, and whether sign-up needs a verified email. */
final class AccountOptions {

  @Option(
      names = "--smtp-host",
      description = "SMTP server for account mails (LATCHKEY_SMTP_HOST). Default: no SMTP.")
  String smtpHost;

  @Option(
      names = "--smtp-port",
      defaultValue = "587",
      description = "SMTP port (LATCHKEY_SMTP_PORT). Default: ${DEFAULT-VALUE}.")
  int smtpPort;

  @Option(
      names = "--smtp-user",
      description = "SMTP login (LATCHKEY_SMTP_USER). Default: no login.")
  String smtpUser;

  @Option(
      names = "--smtp-password-file",
      description =
          "File holding the SMTP password, trailing newline ignored (LATCHKEY_SMTP_PASSWORD_FILE).")
  Path smtpPasswordFile;

  @Option(
      names = "--smtp-tls",
      defaultValue = "starttls",
      description =
          "starttls (required), tls (implicit, port 465) or none (LATCHKEY_SMTP_TLS)."
              + " Default: ${DEFAULT-VALUE}.")
  String smtpTls;

  @Option(
      names = "--mail-from",
      defaultValue = "latchkey@localhost",
      description =
          "Sender address of account mails (LATCHKEY_MAIL_FROM). Default: ${DEFAULT-VALUE}.")
  String mailFrom;

  @Option(
      names = "--mail-dir",
      description =
          "Also write each account mail as an .eml file here and print its path and link"
              + " (development) (LATCHKEY_MAIL_DIR).")
  Path mailDir;

  @Option(
      names = "--require-verified-email",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "Sign-up accounts log in only after following the mailed link"
              + " (LATCHKEY_REQUIRE_VERIFIED_EMAIL). Default: on when --signup is on.")
  Boolean requireVerifiedEmail;

  @Option(
      names = "--signup-limit",
      defaultValue = "5",
      description =
          "Sign-ups one client address may make per 15 minutes; beyond it, 429 with Retry-After"
              + " (LATCHKEY_SIGNUP_LIMIT). Default: ${DEFAULT-VALUE}.")
  int signupLimit;

  @Option(
      names = "--account-pages-url",
      description =
          "Base URL of the client's verify-email, reset-password and login pages used in mailed"
              + " links (LATCHKEY_ACCOUNT_PAGES_URL). Default: the hosted pages of this server.")
  String accountPagesUrl;

  /**
   * The account settings.
   *
   * @throws IllegalArgumentException when sign-up needs verification and no mail can be sent
   */
  AccountSettings settings(boolean signup) throws IOException {
    String password =
        smtpPasswordFile == null
            ? null
            : Files.readString(smtpPasswordFile, StandardCharsets.UTF_8).strip();
    MailSettings mail =
        MailSettings.defaults()
            .withSmtp(smtpHost, smtpPort, MailTls.parse(smtpTls))
            .withLogin(smtpUser, password)
            .withFrom(mailFrom)
            .withMailDir(mailDir);
    boolean require = requireVerifiedEmail != null ? requireVerifiedEmail : signup;
    if (signup && require && !mail.configured()) {
      throw new IllegalArgumentException(
          "--signup with verified email needs a way to send mail: set --smtp-host or --mail-dir,"
              + " or --require-verified-email=false");
    }
    return AccountSettings.defaults()
        .withMail(mail)
        .withRequireVerifiedEmail(require)
        .withPagesUrl(accountPagesUrl)
        .withSignupLimit(signupLimit, Duration.ofMinutes(15));
  }
}
