package dev.latchkey.bench.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The benchmark measures real work only if its token verifies all three ways. */
class VerifierFixtureTest {
  @Test
  void theBenchmarkTokenVerifiesAllThreeWays() throws Exception {
    VerifierFixture f = new VerifierFixture();
    try {
      assertThat(f.raw.verify(f.header, f.signingInput, f.signature)).isTrue();
      assertThat(f.uncached.verify(f.token).subject()).isEqualTo("user-42");
      assertThat(f.cached.verify(f.token).subject()).isEqualTo("user-42");
      assertThat(f.cached.metrics().cacheHits()).isEqualTo(1);
      assertThat(f.uncached.metrics().cacheHits()).isZero();
    } finally {
      f.uncached.close();
      f.cached.close();
    }
  }

  @Test
  void theBenchmarkMethodsReturnResults() throws Exception {
    VerifyBenchmark b = new VerifyBenchmark();
    b.setUp();
    try {
      assertThat(b.rawNimbusSignature()).isTrue();
      assertThat(b.fullVerify().keyId()).isEqualTo("bench-1");
      assertThat(b.cachedVerify().keyId()).isEqualTo("bench-1");
    } finally {
      b.tearDown();
    }
  }
}
