package dev.latchkey.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code --log-format} and {@code --audit-log}: reloads the command's {@code logback.xml}
 * with the appenders they select and the console they write to. Servers log to standard output;
 * operator commands log to standard error, so that their standard output is only their answer
 * ({@code TOKEN=$(latchkey token ...)}).
 */
final class Logging {
  private Logging() {}

  /**
   * For {@code serve}, {@code app} and {@code demo}: logs (and audit lines without a file) on
   * standard output. Without either flag, the configuration Logback loaded stays.
   *
   * @param auditLog the audit file, or null for standard output
   * @throws UncheckedIOException when the audit file cannot be opened for appending (one line)
   */
  static void forServer(LogFormat format, Path auditLog) {
    if (format == LogFormat.TEXT && auditLog == null) {
      return;
    }
    configure(format, auditLog, "System.out");
  }

  /**
   * For the operator commands ({@code users}, {@code keys}, {@code sessions}, {@code token}): text
   * logs, and audit lines without a file, on standard error.
   *
   * @param auditLog the audit file, or null for standard error
   * @throws UncheckedIOException when the audit file cannot be opened for appending (one line)
   */
  static void forOperator(Path auditLog) {
    configure(LogFormat.TEXT, auditLog, "System.err");
  }

  private static void configure(LogFormat format, Path auditLog, String console) {
    if (auditLog != null) {
      requireWritable(auditLog);
    }
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    URL config = Logging.class.getResource("/logback.xml");
    if (!(factory instanceof LoggerContext context) || config == null) {
      return; // another SLF4J binding: its own configuration applies
    }
    context.reset();
    context.putProperty("latchkey.console", console);
    context.putProperty("latchkey.log.appender", format == LogFormat.JSON ? "JSON" : "TEXT");
    if (auditLog != null) {
      context.putProperty("latchkey.audit.appender", "AUDIT_FILE");
      context.putProperty("latchkey.audit.file", auditLog.toAbsolutePath().toString());
    }
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    long since = System.currentTimeMillis();
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      throw new IllegalStateException("cannot configure logging: " + e.getMessage(), e);
    }
    // the status listener in logback.xml keeps Logback quiet: its errors are reported here
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
