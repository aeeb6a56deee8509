package dev.latchkey.bench.server;

import dev.latchkey.server.users.Argon2Params;
import dev.latchkey.server.users.PasswordHasher;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of one Argon2id password check with the server's {@link PasswordHasher} (Bouncy Castle)
 * at OWASP's parameters m = 19 MiB, t = 2, p = 1: what every login pays, once, on the hashing pool.
 * {@code verify} is what a login runs; it costs one hash plus a PHC-string parse.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PasswordHashBenchmark {
  /** {@code m,t,p}; the default is {@link Argon2Params#OWASP}. */
  @Param({"19456,2,1"})
  public String params;

  private PasswordHasher hasher;
  private String stored;
  private char[] password;

  @Setup
  public void setUp() {
    String[] mtp = params.split(",");
    hasher =
        new PasswordHasher(
            new Argon2Params(
                Integer.parseInt(mtp[0]), Integer.parseInt(mtp[1]), Integer.parseInt(mtp[2])));
    password = "correct horse battery staple".toCharArray();
    stored = hasher.hash(password);
  }

  /** A login's password check: parse the stored PHC string, hash, compare in constant time. */
  @Benchmark
  public boolean argon2idVerify() {
    return hasher.verify(password, stored);
  }
}
