package dev.latchkey.bench.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.util.Base64URL;
import dev.latchkey.server.sessions.SessionTokens;
import dev.latchkey.server.tokens.IssuedToken;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The {@link IssueBenchmark} comparisons run as pairs: in each JMH group, one thread runs the raw
 * JCA signature and another runs our path at the same time, so both see the same machine. On cores
 * shared with other work, whose load changes from one benchmark to the next, this ratio is steadier
 * than the one between benchmarks run one after the other. Read each group as "ours ÷ raw" of the
 * two per-method scores JMH prints under it.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IssuePairedBenchmark {
  private final IssueBenchmark b = new IssueBenchmark();

  @Setup
  public void setUp() {
    b.setUp();
  }

  @TearDown
  public void tearDown() {
    b.tearDown();
  }

  @Benchmark
  @Group("signer")
  @GroupThreads(1)
  public byte[] signerRaw() throws GeneralSecurityException {
    return b.rawJcaSign();
  }

  @Benchmark
  @Group("signer")
  @GroupThreads(1)
  public Base64URL signerOurs() throws JOSEException {
    return b.issuerSigner();
  }

  @Benchmark
  @Group("issue")
  @GroupThreads(1)
  public byte[] issueRaw() throws GeneralSecurityException {
    return b.rawJcaSign();
  }

  @Benchmark
  @Group("issue")
  @GroupThreads(1)
  public IssuedToken issueOurs() {
    return b.tokenIssuerIssue();
  }

  @Benchmark
  @Group("login")
  @GroupThreads(1)
  public byte[] loginRaw() throws GeneralSecurityException {
    return b.rawJcaSign();
  }

  @Benchmark
  @Group("login")
  @GroupThreads(1)
  public SessionTokens loginOurs() {
    return b.loginMinusHash();
  }
}
