package dev.latchkey.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.latchkey.server.audit.Audit;
import java.nio.file.Path;

/**
 * The command's logging, configured in code (Logback finds this class through {@code
 * META-INF/services}; no XML is parsed at start-up). Text lines with a dated timestamp, or JSON
 * lines; audit events ({@code latchkey.audit}) written as the JSON lines they are, to the console
 * or a file; Jetty, Javalin, Hikari and Flyway only when something goes wrong. Every line is one
 * event: control characters in what is logged are escaped ({@link EscapingTextEncoder}, {@link
 * JsonLineEncoder}).
 *
 * <p>An operator's own Logback file ({@code -Dlogback.configurationFile=...}) replaces all of it.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
  static final String OWN_FILE_PROPERTY = "logback.configurationFile";
  private static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg";
  private static final String[] QUIET = {
    "org.eclipse.jetty", "io.javalin", "com.zaxxer.hikari", "org.flywaydb"
  };

  /** Where console lines go: servers use standard output, operator commands standard error. */
  enum Console {
    OUT("System.out"),
    ERR("System.err");

    private final String target;

    Console(String target) {
      this.target = target;
    }
  }

  /** The start-up configuration: text logs and audit lines on standard output. */
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty(OWN_FILE_PROPERTY) != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY; // Logback's own configurator reads that file
    }
    apply(context, LogFormat.TEXT, null, Console.OUT);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Replaces the context's configuration.
   *
   * @param auditLog the file audit lines are appended to, or null for the console
   */
  static void apply(LoggerContext context, LogFormat format, Path auditLog, Console console) {
    context.reset();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(
        started(
            console(context, console),
            format == LogFormat.JSON ? jsonEncoder(context) : textEncoder(context, TEXT_PATTERN)));
    Logger audit = context.getLogger(Audit.LOGGER);
    audit.setLevel(Level.INFO);
    audit.setAdditive(false);
    OutputStreamAppender<ILoggingEvent> auditOut;
    if (auditLog == null) {
      auditOut = console(context, console);
    } else {
      FileAppender<ILoggingEvent> file = new FileAppender<>();
      file.setFile(auditLog.toAbsolutePath().toString());
      file.setAppend(true);
      auditOut = file;
    }
    auditOut.setContext(context);
    audit.addAppender(started(auditOut, textEncoder(context, "%msg")));
    for (String name : QUIET) {
      context.getLogger(name).setLevel(Level.WARN);
    }
  }

  private static ConsoleAppender<ILoggingEvent> console(LoggerContext context, Console console) {
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setTarget(console.target);
    return appender;
  }

  private static <A extends OutputStreamAppender<ILoggingEvent>> A started(
      A appender, Encoder<ILoggingEvent> encoder) {
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }

  /** Every text line, of every logger, goes through here: control characters escaped. */
  private static Encoder<ILoggingEvent> textEncoder(LoggerContext context, String pattern) {
    EscapingTextEncoder encoder = new EscapingTextEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.start();
    return encoder;
  }

  private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
    JsonLineEncoder encoder = new JsonLineEncoder();
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }
}
