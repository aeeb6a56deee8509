package dev.latchkey.server.mail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where account mails go: an SMTP server, a folder of {@code .eml} files, both, or nowhere (then
 * every mail is dropped with a warning).
 *
 * @param smtpHost the SMTP server, or {@code null} for none
 * @param smtpPort its port (587 for STARTTLS, 465 for TLS, 25 plain)
 * @param smtpUser the login, or {@code null} for an unauthenticated relay
 * @param smtpPassword the password (read from {@code --smtp-password-file}), or {@code null}
 * @param tls how the connection is protected
 * @param from the sender address of every mail
 * @param mailDir a folder that gets each mail as an {@code .eml} file (demo, development), or null
 * @param attempts how many times a mail is tried before it counts as failed
 * @param retryDelay the wait before the second attempt; doubled before each further one
 */
public record MailSettings(
    String smtpHost,
    int smtpPort,
    String smtpUser,
    String smtpPassword,
    MailTls tls,
    String from,
    Path mailDir,
    int attempts,
    Duration retryDelay) {

  public MailSettings {
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(retryDelay, "retryDelay");
    if (smtpPort < 1 || smtpPort > 65535) {
      throw new IllegalArgumentException("--smtp-port must be 1..65535, got " + smtpPort);
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("mail attempts must be at least 1");
    }
    if (smtpHost != null && smtpHost.isBlank()) {
      smtpHost = null;
    }
  }

  /** No transport: mails are dropped with a warning. */
  public static MailSettings defaults() {
    return new MailSettings(
        null,
        587,
        null,
        null,
        MailTls.STARTTLS,
        "latchkey@localhost",
        null,
        4,
        Duration.ofSeconds(2));
  }

  /** Whether any mail can leave the server. */
  public boolean configured() {
    return smtpHost != null || mailDir != null;
  }

  public MailSettings withSmtp(String host, int port, MailTls v) {
    return new MailSettings(
        host, port, smtpUser, smtpPassword, v, from, mailDir, attempts, retryDelay);
  }

  public MailSettings withLogin(String user, String password) {
    return new MailSettings(
        smtpHost, smtpPort, user, password, tls, from, mailDir, attempts, retryDelay);
  }

  public MailSettings withFrom(String v) {
    return new MailSettings(
        smtpHost, smtpPort, smtpUser, smtpPassword, tls, v, mailDir, attempts, retryDelay);
  }

  public MailSettings withMailDir(Path v) {
    return new MailSettings(
        smtpHost, smtpPort, smtpUser, smtpPassword, tls, from, v, attempts, retryDelay);
  }

  public MailSettings withRetries(int attemptsV, Duration delay) {
    return new MailSettings(
        smtpHost, smtpPort, smtpUser, smtpPassword, tls, from, mailDir, attemptsV, delay);
  }

  @Override
  public String toString() {
    return "MailSettings[smtpHost="
        + smtpHost
        + ", smtpPort="
        + smtpPort
        + ", smtpUser="
        + smtpUser
        + ", smtpPassword="
        + (smtpPassword == null ? "none" : "***")
        + ", tls="
        + tls
        + ", from="
        + from
        + ", mailDir="
        + mailDir
        + "]";
  }
}
