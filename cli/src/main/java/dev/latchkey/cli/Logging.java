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
 * with the appenders they select. Without either, the configuration Logback loaded stays.
 */
final class Logging {
  private Logging() {}

  /**
   * @param auditLog the audit file, or null for standard output
   * @throws UncheckedIOException when the audit file cannot be opened for appending (one line)
   */
  static void configure(LogFormat format, Path auditLog) {
    if (format == LogFormat.TEXT && auditLog == null) {
      return;
    }
    if (auditLog != null) {
      requireWritable(auditLog);
    }
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    URL config = Logging.class.getResource("/logback.xml");
    if (!(factory instanceof LoggerContext context) || config == null) {
      return; // another SLF4J binding: its own configuration applies
    }
    context.reset();
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
