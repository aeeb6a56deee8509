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
    this(Math.max(1, (wait.toMillis() + 999) / 1000));
  }

  private TooManyAttempts(long seconds) {
    super(
        429,
        "too_many_attempts",
        "Too many wrong passwords; try again in " + seconds + " s.",
        Map.of("Retry-After", Long.toString(seconds)));
    this.retryAfter = seconds;
  }

  @Override
  public Map<String, Object> extraFields() {
    return Map.of("retryAfter", retryAfter);
  }
}
