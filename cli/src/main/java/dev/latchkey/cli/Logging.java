package dev.latchkey.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.Status;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code --log-format} and {@code --audit-log}: sets the command's logging up again ({@link
 * LogSetup}) with the format and audit destination they select and the console it writes to.
 * Servers log to standard output; operator commands log to standard error, so that their standard
 * output is only their answer ({@code TOKEN=$(latchkey token ...)}).
 */
final class Logging {
  private Logging() {}

  /**
   * For {@code serve}, {@code app} and {@code demo}: logs (and audit lines without a file) on
   * standard output. Without either flag, the start-up configuration stays.
   *
   * @param auditLog the audit file, or null for standard output
   * @throws UncheckedIOException when the audit file cannot be opened for appending (one line)
   */
  static void forServer(LogFormat format, Path auditLog) {
    if (format == LogFormat.TEXT && auditLog == null) {
      return;
    }
    configure(format, auditLog, LogSetup.Console.OUT);
  }

  /**
   * For the operator commands ({@code users}, {@code keys}, {@code sessions}, {@code token}): text
   * logs, and audit lines without a file, on standard error.
   *
   * @param auditLog the audit file, or null for standard error
   * @throws UncheckedIOException when the audit file cannot be opened for appending (one line)
   */
  static void forOperator(Path auditLog) {
    configure(LogFormat.TEXT, auditLog, LogSetup.Console.ERR);
  }

  private static void configure(LogFormat format, Path auditLog, LogSetup.Console console) {
    if (auditLog != null) {
      requireWritable(auditLog);
    }
    // The operator's own Logback file, or another SLF4J binding: their configuration applies.
    if (System.getProperty(LogSetup.OWN_FILE_PROPERTY) != null
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    long since = System.currentTimeMillis();
    LogSetup.apply(context, format, auditLog, console);
    context.getStatusManager().getCopyOfStatusList().stream()
        .filter(s -> s.getLevel() == Status.ERROR && s.getTimestamp() >= since)
        .findFirst()
        .ifPresent(
            s -> {
              throw new IllegalStateException("cannot configure logging: " + s.getMessage());
            });
  }

  private static void requireWritable(Path auditLog) {
    try {
      Path parent = auditLog.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (OutputStream out =
          Files.newOutputStream(auditLog, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        // opened for appending: Logback can write there
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the audit log at " + auditLog + ": " + e, e);
    }
  }
}
