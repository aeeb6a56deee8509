package dev.latchkey.server.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Writes each mail as an {@code .eml} file into a folder and prints one line with its path and
 * link: the demo's and development's inbox. The link is printed on purpose here, on the console of
 * the operator who asked for the folder; it never goes to the log.
 */
final class MailDirTransport implements MailTransport {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final Clock clock;
  private final PrintStream console;

  MailDirTransport(Path dir, Clock clock, PrintStream console) {
    this.dir = dir;
    this.clock = clock;
    this.console = console;
  }

  @Override
  public void deliver(MimeMessage message, OutgoingMail mail)
      throws MessagingException, IOException {
    Files.createDirectories(dir);
    String name =
        STAMP.format(clock.instant())
            + "-"
            + mail.kind()
            + "-"
            + UUID.randomUUID().toString().substring(0, 8)
            + ".eml";
    Path file = dir.resolve(name);
    Path partial = dir.resolve(name + ".part");
    try (OutputStream out = Files.newOutputStream(partial)) {
      message.writeTo(out);
    }
    Files.move(partial, file); // a reader never sees half a mail
    console.println(
        "Mail to "
            + mail.to()
            + ": "
            + file.toAbsolutePath()
            + (mail.link() == null ? "" : "  " + mail.link()));
  }
}
