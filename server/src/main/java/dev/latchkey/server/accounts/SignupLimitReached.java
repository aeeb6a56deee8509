package dev.latchkey.server.accounts;

import java.time.Duration;

/**
 * One client address made as many sign-ups as the limit allows in the window ({@code
 * --signup-limit}): nothing was created and nothing mailed. Answered {@code 429} with {@code
 * Retry-After} by the failure mapping.
 */
public final class SignupLimitReached extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  public SignupLimitReached(Duration retryAfter) {
    super("sign-up limit reached", null, false, false);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
