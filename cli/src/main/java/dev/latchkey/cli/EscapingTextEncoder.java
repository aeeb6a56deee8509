package dev.latchkey.cli;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;

/**
 * Text log lines, one an event: the pattern's output with every control character escaped ({@link
 * ControlCharacters}), so that no logged value can forge a line. A stack trace keeps its lines;
 * each exception's message in it is escaped the same way, so every line of it is one of its frames.
 */
final class EscapingTextEncoder extends EncoderBase<ILoggingEvent> {
  private static final byte[] NOTHING = new byte[0];

  private final PatternLayout layout = new PatternLayout();
  private final StackTraces stackTraces = new StackTraces();
  private String pattern;

  /** The line's pattern, without {@code %n}: the encoder ends the line. */
  void setPattern(String pattern) {
    this.pattern = pattern;
  }

  @Override
  public void start() {
    layout.setContext(getContext());
    layout.setPattern(pattern + "%nopex"); // the stack trace is added here, escaped
    layout.start();
    stackTraces.setContext(getContext());
    stackTraces.start();
    super.start();
  }

  @Override
  public byte[] headerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    String line = ControlCharacters.escape(layout.doLayout(event)) + CoreConstants.LINE_SEPARATOR;
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      line += stackTraces.render(error);
    }
    return line.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] footerBytes() {
    return NOTHING;
  }

  /** Logback's stack trace, of an exception whose messages are escaped. */
  private static final class StackTraces extends ThrowableProxyConverter {
    String render(IThrowableProxy error) {
      return throwableProxyToString(new Escaped(error));
    }
  }

  private record Escaped(IThrowableProxy error) implements IThrowableProxy {
    @Override
    public String getMessage() {
      return error.getMessage() == null ? null : ControlCharacters.escape(error.getMessage());
    }

    @Override
    public String getOverridingMessage() {
      String message = error.getOverridingMessage();
      return message == null ? null : ControlCharacters.escape(message);
    }

    @Override
    public String getClassName() {
      return ControlCharacters.escape(error.getClassName());
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
      return error.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
      return error.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
      return error.getCause() == null ? null : new Escaped(error.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
      IThrowableProxy[] suppressed = error.getSuppressed();
      if (suppressed == null) {
        return null;
      }
      IThrowableProxy[] escaped = new IThrowableProxy[suppressed.length];
      for (int i = 0; i < suppressed.length; i++) {
        escaped[i] = new Escaped(suppressed[i]);
      }
      return escaped;
    }

    @Override
    public boolean isCyclic() {
      return error.isCyclic();
    }
  }
}
