package dev.latchkey.server.http.exchange;

import java.time.Duration;
import java.util.Map;

/**
 * {@code 429 too_many_attempts} with {@code Retry-After} and {@code retryAfter} (whole seconds,
 * rounded up, at least 1). The message never says whether the account or the address is locked.
 */
final class TooManyAttempts extends ApiError {
  private static final long serialVersionUID = 1L;

  private final long retryAfter;

  TooManyAttempts(Duration wait) {
    this(seconds(wait), "too_many_attempts", "Too many wrong passwords; try again in %d s.");
  }

  /** {@code 429 too_many_signups}: the client address reached the sign-up limit. */
  static TooManyAttempts signups(Duration wait) {
    return new TooManyAttempts(
        seconds(wait), "too_many_signups", "Too many sign-ups from here; try again in %d s.");
  }

  private TooManyAttempts(long seconds, String error, String message) {
    super(
        429, error, String.format(message, seconds), Map.of("Retry-After", Long.toString(seconds)));
    this.retryAfter = seconds;
  }

  private static long seconds(Duration wait) {
    return Math.max(1, (wait.toMillis() + 999) / 1000);
  }

  @Override
  public Map<String, Object> extraFields() {
    return Map.of("retryAfter", retryAfter);
  }
}
