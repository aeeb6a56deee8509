package dev.latchkey.server.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/** Sends over SMTP with Jakarta Mail (Angus Mail), with the configured TLS and login. */
final class SmtpTransport implements MailTransport {
  private static final String TIMEOUT_MILLIS = "15000";

  private final MailSettings settings;
  private final Session session;

  SmtpTransport(MailSettings settings) {
    this.settings = settings;
    this.session = Session.getInstance(properties(settings));
  }

  static Properties properties(MailSettings settings) {
    Properties p = new Properties();
    String prefix = settings.tls() == MailTls.TLS ? "mail.smtps." : "mail.smtp.";
    p.put("mail.transport.protocol", settings.tls() == MailTls.TLS ? "smtps" : "smtp");
    p.put(prefix + "host", settings.smtpHost());
    p.put(prefix + "port", String.valueOf(settings.smtpPort()));
    p.put(prefix + "auth", String.valueOf(settings.smtpUser() != null));
    p.put(prefix + "connectiontimeout", TIMEOUT_MILLIS);
    p.put(prefix + "timeout", TIMEOUT_MILLIS);
    p.put(prefix + "writetimeout", TIMEOUT_MILLIS);
    p.put(prefix + "from", settings.from());
    if (settings.tls() == MailTls.STARTTLS) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
    }
    if (settings.tls() != MailTls.NONE) {
      p.put(prefix + "ssl.checkserveridentity", "true");
    }
    return p;
  }

  Session session() {
    return session;
  }

  @Override
  public void deliver(MimeMessage message, OutgoingMail mail) throws MessagingException {
    String protocol = settings.tls() == MailTls.TLS ? "smtps" : "smtp";
    try (Transport transport = session.getTransport(protocol)) {
      if (settings.smtpUser() != null) {
        transport.connect(settings.smtpUser(), settings.smtpPassword());
      } else {
        transport.connect();
      }
      transport.sendMessage(message, message.getAllRecipients());
    }
  }
}
