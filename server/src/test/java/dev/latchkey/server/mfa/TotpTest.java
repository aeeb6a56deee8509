package dev.latchkey.server.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** TOTP against RFC 6238 Appendix B (SHA-1), its drift window, and base32 against RFC 4648. */
class TotpTest {
  /** RFC 6238 Appendix B's SHA-1 seed: the ASCII of "12345678901234567890" (20 bytes). */
  private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  @ParameterizedTest
  @CsvSource({
    "59, 94287082",
    "1111111109, 07081804",
    "1111111111, 14050471",
    "1234567890, 89005924",
    "2000000000, 69279037",
    "20000000000, 65353130"
  })
  void theRfcVectorsAtEightDigits(long unixTime, String expected) {
    assertThat(Totp.code(RFC_SEED, Totp.stepAt(unixTime), 8)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "59, 287082",
    "1111111109, 081804",
    "1111111111, 050471",
    "1234567890, 005924",
    "2000000000, 279037",
    "20000000000, 353130"
  })
  void theRfcVectorsAtOurSixDigitsAreAcceptedAtTheirTime(long unixTime, String expected) {
    assertThat(Totp.code(RFC_SEED, Totp.stepAt(unixTime), Totp.DIGITS)).isEqualTo(expected);
    Totp atThatTime = new Totp(new MutableClock(Instant.ofEpochSecond(unixTime)));
    assertThat(atThatTime.matchingStep(RFC_SEED, expected)).hasValue(Totp.stepAt(unixTime));
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 1})
  void aCodeOneStepOffEitherWayIsAccepted(int offset) {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_234_567_890));
    Totp totp = new Totp(clock);
    long step = totp.currentStep() + offset;

    assertThat(totp.matchingStep(RFC_SEED, Totp.code(RFC_SEED, step, 6))).hasValue(step);
  }

  @ParameterizedTest
  @ValueSource(ints = {-3, -2, 2, 3})
  void aCodeTwoStepsOffOrMoreIsRefused(int offset) {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_234_567_890));
    Totp totp = new Totp(clock);
    String code = Totp.code(RFC_SEED, totp.currentStep() + offset, 6);

    assertThat(totp.matchingStep(RFC_SEED, code)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "28708", "2870820", "28708a", "٢٨٧٠٨٢", " 87082"})
  void whatIsNotSixAsciiDigitsIsRefused(String code) {
    Totp totp = new Totp(new MutableClock(Instant.ofEpochSecond(59)));

    assertThat(totp.matchingStep(RFC_SEED, code)).isEmpty();
    assertThat(totp.matchingStep(RFC_SEED, null)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 29})
  void aStepLastsThirtySeconds(int secondsIn) {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(30L * 1000));
    clock.advance(Duration.ofSeconds(secondsIn));

    assertThat(new Totp(clock).currentStep()).isEqualTo(1000);
  }

  @ParameterizedTest
  @CsvSource({
    "f, MY",
    "fo, MZXQ",
    "foo, MZXW6",
    "foob, MZXW6YQ",
    "fooba, MZXW6YTB",
    "foobar, MZXW6YTBOI"
  })
  void base32AsRfc4648Writes(String text, String encoded) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    assertThat(Base32.encode(bytes)).isEqualTo(encoded);
    assertThat(Base32.decode(encoded.toLowerCase())).isEqualTo(bytes);
  }
}
