package dev.latchkey.server.users;

import java.util.Objects;

/**
 * Password hashing: the Argon2id parameters of new hashes and the pool that runs them.
 *
 * @param params Argon2id parameters for new hashes
 * @param threads threads that hash passwords
 * @param queue password hashes that may wait for a thread before logins get 503
 */
public record HashingSettings(Argon2Params params, int threads, int queue) {

  public HashingSettings {
    Objects.requireNonNull(params, "params");
    if (threads < 1 || queue < 0) {
      throw new IllegalArgumentException("hashThreads must be >= 1 and hashQueue >= 0");
    }
  }

  /** OWASP's Argon2id parameters, one thread per core, 64 waiting. */
  public static HashingSettings defaults() {
    return new HashingSettings(
        Argon2Params.OWASP, Math.max(1, Runtime.getRuntime().availableProcessors()), 64);
  }

  public HashingSettings withParams(Argon2Params v) {
    return new HashingSettings(v, threads, queue);
  }
}
