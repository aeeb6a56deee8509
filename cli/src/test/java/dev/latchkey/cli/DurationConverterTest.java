package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

  private final DurationConverter converter = new DurationConverter();

  @Test
  void readsShortForms() {
    assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(converter.convert("15m")).isEqualTo(Duration.ofMinutes(15));
    assertThat(converter.convert("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(converter.convert("30d")).isEqualTo(Duration.ofDays(30));
    assertThat(converter.convert("250ms")).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void readsIsoForm() {
    assertThat(converter.convert("PT2H30M")).isEqualTo(Duration.ofMinutes(150));
  }

  @Test
  void refusesNonsenseWithAnExample() {
    assertThatThrownBy(() -> converter.convert("two hours"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("2h");
    assertThatThrownBy(() -> converter.convert("-5m")).isInstanceOf(TypeConversionException.class);
  }
}
