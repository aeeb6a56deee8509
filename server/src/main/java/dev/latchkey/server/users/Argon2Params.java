package dev.latchkey.server.users;

/**
 * Argon2id cost parameters.
 *
 * @param memoryKiB memory in KiB ({@code m})
 * @param iterations passes over memory ({@code t})
 * @param parallelism lanes ({@code p})
 */
public record Argon2Params(int memoryKiB, int iterations, int parallelism) {
  /** OWASP's recommendation: m = 19 MiB, t = 2, p = 1. */
  public static final Argon2Params OWASP = new Argon2Params(19 * 1024, 2, 1);

  public Argon2Params {
    if (parallelism < 1 || parallelism > 16) {
      throw new IllegalArgumentException("parallelism must be 1..16");
    }
    if (iterations < 1 || iterations > 100) {
      throw new IllegalArgumentException("iterations must be 1..100");
    }
    if (memoryKiB < 8 * parallelism || memoryKiB > 4 * 1024 * 1024) {
      throw new IllegalArgumentException("memoryKiB must be 8*parallelism..4 GiB");
    }
  }

  @Override
  public String toString() {
    return "m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism;
  }
}
