package dev.latchkey.server.users;

import java.time.Duration;
import java.util.Objects;

/**
 * Password hashing: the Argon2id parameters of new hashes and the pool that runs them.
 *
 * @param params Argon2id parameters for new hashes
 * @param threads threads that hash passwords
 * @param queue password hashes that may wait for a thread before logins get 503
 * @param maxWait how long a password hash may wait for a thread before its login gets 503
 */
public record HashingSettings(Argon2Params params, int threads, int queue, Duration maxWait) {
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(5);

  public HashingSettings {
    Objects.requireNonNull(params, "params");
    if (threads < 1 || queue < 0) {
      throw new IllegalArgumentException("hashThreads must be >= 1 and hashQueue >= 0");
    }
    if (maxWait.isNegative() || maxWait.isZero()) {
      throw new IllegalArgumentException("hashMaxWait must be positive");
    }
  }

  /** With the default {@link #DEFAULT_MAX_WAIT}. */
  public HashingSettings(Argon2Params params, int threads, int queue) {
    this(params, threads, queue, DEFAULT_MAX_WAIT);
  }

  /** OWASP's Argon2id parameters, one thread per core, 64 waiting, at most 5 s each. */
  public static HashingSettings defaults() {
    return new HashingSettings(
        Argon2Params.OWASP, Math.max(1, Runtime.getRuntime().availableProcessors()), 64);
  }

  public HashingSettings withParams(Argon2Params v) {
    return new HashingSettings(v, threads, queue, maxWait);
  }

  public HashingSettings withThreads(int v) {
    return new HashingSettings(params, v, queue, maxWait);
  }
}
