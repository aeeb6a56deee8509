package dev.latchkey.cli;

import dev.latchkey.server.audit.Audit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process that logs, through the command's logging set-up ({@code text} or {@code json}), values
 * that try to forge lines: {@link LogOptionsTest} reads what it printed.
 */
final class LogLineProbe {
  /** What a client could type: each control character that could end a line. */
  static final String TYPED = "x\n<forged line>\r<forged cr>\u2028<forged ls>\u0085<forged nel>";

  private LogLineProbe() {}

  public static void main(String[] args) {
    if (args[0].equals("json")) {
      Logging.forServer(LogFormat.JSON, null);
    }
    Logger log = LoggerFactory.getLogger(LogLineProbe.class);
    log.warn("typed {}", TYPED);
    log.warn(
        "failed",
        new IllegalStateException(
            "outer " + TYPED, new IllegalArgumentException("inner " + TYPED)));
    LoggerFactory.getLogger(Audit.LOGGER).info("{\"typed\":\"a\u2028<forged audit>\"}");
  }
}
