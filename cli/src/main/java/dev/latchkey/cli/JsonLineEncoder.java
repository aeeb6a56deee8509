package dev.latchkey.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * {@code --log-format json}: one JSON object a line, as log shippers read them: {@code time}
 * (ISO-8601, UTC), {@code level}, {@code logger}, {@code thread}, {@code message} (formatted, its
 * arguments in place), and {@code error} (the stack trace) when there is one. Every control
 * character in a value is escaped ({@link ControlCharacters}: JSON escapes only C0 by itself).
 */
final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
  private static final JsonFactory JSON =
      new JsonFactory().setCharacterEscapes(new ControlCharacterEscapes());
  private static final byte[] NOTHING = new byte[0];

  @Override
  public byte[] headerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(line)) {
      json.writeStartObject();
      json.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      json.writeStringField("level", event.getLevel().toString());
      json.writeStringField("logger", event.getLoggerName());
      json.writeStringField("thread", event.getThreadName());
      json.writeStringField("message", event.getFormattedMessage());
      IThrowableProxy error = event.getThrowableProxy();
      if (error != null) {
        json.writeStringField("error", ThrowableProxyUtil.asString(error));
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory
    }
    line.write('\n');
    return line.toByteArray();
  }

  @Override
  public byte[] footerBytes() {
    return NOTHING;
  }

  /** Jackson's escapes, plus {@code \\uXXXX} for DEL, C1 and U+2028/U+2029. */
  private static final class ControlCharacterEscapes extends CharacterEscapes {
    private final int[] asciiEscapes = standardAsciiEscapesForJSON();

    ControlCharacterEscapes() {
      asciiEscapes[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return asciiEscapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch <= 0xffff && ControlCharacters.isControl((char) ch)
          ? new SerializedString(String.format("\\u%04x", ch))
          : null;
    }
  }
}
