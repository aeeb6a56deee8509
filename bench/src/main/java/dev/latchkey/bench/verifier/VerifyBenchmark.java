package dev.latchkey.bench.verifier;

import com.nimbusds.jose.JOSEException;
import dev.latchkey.verifier.VerifiedToken;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code JwtVerifier.verify} (parse, bounds, typ, alg allow-list, key selection, signature, claims)
 * against the RSA signature check alone, on the same RS256 token in the same run; and the cost of a
 * verified-token cache hit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class VerifyBenchmark {
  private VerifierFixture f;

  @Setup
  public void setUp() {
    f = new VerifierFixture();
  }

  @TearDown
  public void tearDown() {
    f.uncached.close();
    f.cached.close();
  }

  /** Nimbus {@code RSASSAVerifier.verify} on pre-parsed header, signing input and signature. */
  @Benchmark
  public boolean rawNimbusSignature() throws JOSEException {
    return f.raw.verify(f.header, f.signingInput, f.signature);
  }

  /** The full verification, cache off. */
  @Benchmark
  public VerifiedToken fullVerify() {
    return f.uncached.verify(f.token);
  }

  /** A repeat token answered from the verified-token cache (hash, lookup, time and hook checks). */
  @Benchmark
  public VerifiedToken cachedVerify() {
    return f.cached.verify(f.token);
  }
}
