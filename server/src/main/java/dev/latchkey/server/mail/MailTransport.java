package dev.latchkey.server.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/** Where a built message goes: an SMTP server or a folder. */
interface MailTransport {
  void deliver(MimeMessage message, OutgoingMail mail)
      throws MessagingException, java.io.IOException;
}
