package dev.latchkey.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations as operators write them: {@code 90s}, {@code 15m}, {@code 2h}, {@code 30d}. */
final class DurationConverter implements ITypeConverter<Duration> {

  private static final Pattern SHORT_FORM = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

  @Override
  public Duration convert(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    Matcher matcher = SHORT_FORM.matcher(value);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    try {
      return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new TypeConversionException(
          "'" + text + "' is not a duration (examples: 90s, 15m, 2h, 30d, PT2H)");
    }
  }
}
