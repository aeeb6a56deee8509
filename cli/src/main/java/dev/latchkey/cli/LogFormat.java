package dev.latchkey.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** How log lines are written: {@code text} for people, {@code json} for log shippers. */
enum LogFormat {
  TEXT,
  JSON;

  /** Reads {@code text} or {@code json}, in any case. */
  static final class Converter implements ITypeConverter<LogFormat> {
    @Override
    public LogFormat convert(String value) {
      try {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("expected text or json, not '" + value + "'");
      }
    }
  }
}
