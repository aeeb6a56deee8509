package dev.latchkey.server.mfa;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1, 30-second steps counted
 * from the Unix epoch, {@value #DIGITS} digits. A code of the step before or after the current one
 * is accepted too (one step of clock drift either way), none further.
 */
public final class Totp {
  /** Digits of the codes we issue and accept. */
  public static final int DIGITS = 6;

  /** Seconds a code's step lasts. */
  public static final int PERIOD_SECONDS = 30;

  /** Steps of drift accepted either side of the current one. */
  static final int DRIFT_STEPS = 1;

  private static final int[] POWERS = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000
  };

  private final Clock clock;

  public Totp(Clock clock) {
    this.clock = clock;
  }

  /** The step the clock is in now. */
  public long currentStep() {
    return stepAt(clock.millis() / 1000);
  }

  static long stepAt(long epochSeconds) {
    return Math.floorDiv(epochSeconds, PERIOD_SECONDS);
  }

  /**
   * The step whose code {@code code} is, among the current step and its neighbours; every candidate
   * is computed and compared in constant time, whichever matches.
   *
   * @return empty when the code is none of them (or not {@value #DIGITS} digits)
   */
  public OptionalLong matchingStep(byte[] secret, String code) {
    if (code == null
        || code.length() != DIGITS
        || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    byte[] presented = code.getBytes(StandardCharsets.US_ASCII);
    long now = currentStep();
    long matched = -1;
    for (long step = now - DRIFT_STEPS; step <= now + DRIFT_STEPS; step++) {
      byte[] expected = code(secret, step, DIGITS).getBytes(StandardCharsets.US_ASCII);
      if (MessageDigest.isEqual(expected, presented)) {
        matched = step;
      }
    }
    return matched < 0 ? OptionalLong.empty() : OptionalLong.of(matched);
  }

  /** The code of one step (RFC 4226's HOTP with the step as its counter), zero-padded. */
  static String code(byte[] secret, long step, int digits) {
    if (digits < 1 || digits >= POWERS.length) {
      throw new IllegalArgumentException("digits must be 1 to 8: " + digits);
    }
    byte[] hash = hmacSha1(secret, ByteBuffer.allocate(8).putLong(step).array());
    int offset = hash[hash.length - 1] & 0x0f;
    int binary =
        ((hash[offset] & 0x7f) << 24)
            | ((hash[offset + 1] & 0xff) << 16)
            | ((hash[offset + 2] & 0xff) << 8)
            | (hash[offset + 3] & 0xff);
    String value = Integer.toString(binary % POWERS[digits]);
    return "0".repeat(digits - value.length()) + value;
  }

  private static byte[] hmacSha1(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA1 unavailable", e);
    }
  }
}
