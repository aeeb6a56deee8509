package dev.latchkey.server.mail;

import java.util.Locale;

/**
 * How the SMTP connection is protected: {@code starttls} (required), {@code tls} or {@code none}.
 */
public enum MailTls {
  STARTTLS,
  TLS,
  NONE;

  /** {@code starttls}, {@code tls} or {@code none}, any case. */
  public static MailTls parse(String value) {
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("--smtp-tls is starttls, tls or none, got " + value);
    }
  }
}
