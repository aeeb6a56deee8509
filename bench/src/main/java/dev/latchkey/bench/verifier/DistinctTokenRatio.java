package dev.latchkey.bench.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.verifier.JwtVerifier;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The verified-token cache's cost when tokens do not repeat: two verifiers, cache on and off,
 * verify the same {@code N} distinct tokens in rotation (more than the cache holds), in alternating
 * blocks timed in the process's CPU time (so garbage collection and the cache's maintenance threads
 * count, and time spent waiting for a core does not). Reports the median of the per-round
 * throughput ratios, cache on ÷ cache off: 1.0 means the cache costs nothing on a miss.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar dev.latchkey.bench.verifier.DistinctTokenRatio
 * [tokens] [rounds]}
 */
public final class DistinctTokenRatio {
  private static final int BLOCK = 4000;
  private static final int THREADS = 4;
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private DistinctTokenRatio() {}

  public static void main(String[] args) throws JOSEException {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    RSAKey key = new RSAKeyGenerator(2048).keyID("bench-1").generate();
    String[] tokens = mint(key, count);
    JWKSet keys = new JWKSet(key.toPublicJWK());
    JwtVerifier on = verifier(keys, true);
    JwtVerifier off = verifier(keys, false);
    int[] cursor = {0};
    for (int i = 0; i < 10; i++) { // warm-up, and fill the cache
      block(on, tokens, cursor);
      block(off, tokens, cursor);
    }
    double[] ratio = new double[rounds];
    double[] offMicros = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long t0 = OS.getProcessCpuTime();
      block(on, tokens, cursor);
      long t1 = OS.getProcessCpuTime();
      block(off, tokens, cursor);
      long t2 = OS.getProcessCpuTime();
      ratio[r] = (double) (t2 - t1) / (t1 - t0);
      offMicros[r] = (t2 - t1) / 1000.0 / BLOCK;
    }
    Arrays.sort(ratio);
    Arrays.sort(offMicros);
    System.out.printf(
        "tokens=%d rounds=%d block=%d  cache off: %.1f µs CPU/verification (median)%n",
        count, rounds, BLOCK, offMicros[rounds / 2]);
    System.out.printf(
        "cache on ÷ cache off (throughput, process CPU): median %.3f, p25 %.3f, p75 %.3f%n",
        ratio[rounds / 2], ratio[rounds / 4], ratio[rounds * 3 / 4]);
  }

  private static JwtVerifier verifier(JWKSet keys, boolean cache) {
    return JwtVerifier.withJwkSet(keys)
        .issuer(VerifierFixture.ISSUER)
        .audience(VerifierFixture.AUDIENCE)
        .verifiedTokenCache(cache)
        .build();
  }

  /** {@link #THREADS} threads at once, as a server's request threads call one verifier. */
  private static void block(JwtVerifier verifier, String[] tokens, int[] cursor) {
    int start = cursor[0];
    Thread[] threads = new Thread[THREADS];
    for (int t = 0; t < THREADS; t++) {
      int from = start + t * (BLOCK / THREADS);
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < BLOCK / THREADS; i++) {
                  verifier.verify(tokens[(from + i) % tokens.length]);
                }
              });
      threads[t].start();
    }
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    cursor[0] = (start + BLOCK) % tokens.length;
  }

  private static String[] mint(RSAKey key, int count) throws JOSEException {
    RSASSASigner signer = new RSASSASigner(key);
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID(key.getKeyID())
            .type(new JOSEObjectType("at+jwt"))
            .build();
    Instant now = Instant.now();
    String[] tokens = new String[count];
    for (int i = 0; i < count; i++) {
      JWTClaimsSet claims =
          new JWTClaimsSet.Builder()
              .issuer(VerifierFixture.ISSUER)
              .subject("user-" + i)
              .audience(List.of(VerifierFixture.AUDIENCE))
              .expirationTime(Date.from(now.plus(Duration.ofHours(2))))
              .issueTime(Date.from(now))
              .jwtID(UUID.randomUUID().toString())
              .claim("sid", UUID.randomUUID().toString())
              .build();
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(signer);
      tokens[i] = jwt.serialize();
    }
    return tokens;
  }
}
