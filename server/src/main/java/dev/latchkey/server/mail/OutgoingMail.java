package dev.latchkey.server.mail;

import java.util.Objects;

/**
 * One mail to one user.
 *
 * @param kind what it is about, for logs and file names ({@code email_verification}, ...)
 * @param to the recipient
 * @param subject the subject line
 * @param text the plain-text body
 * @param html the HTML body (already escaped)
 * @param link the one-time link in it, or {@code null}; never logged, shown only by the mail folder
 */
public record OutgoingMail(
    String kind, String to, String subject, String text, String html, String link) {
  public OutgoingMail {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(html, "html");
  }

  @Override
  public String toString() {
    return "OutgoingMail[kind=" + kind + "]";
  }
}
