package dev.latchkey.bench.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.util.Base64URL;
import dev.latchkey.server.keys.ActiveKey;
import dev.latchkey.server.sessions.SessionTokens;
import dev.latchkey.server.throttle.LoginThrottle;
import dev.latchkey.server.tokens.IssuedToken;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.AuthenticatedUser;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.List;
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
 * Session token issuance on the auth server's real store and key, against raw JCA RSA-2048 signing
 * of the same bytes in the same run:
 *
 * <ul>
 *   <li>{@link #rawJcaSign}: {@code Signature.getInstance("SHA256withRSA")}, init, update, sign on
 *       the signing input of a token our issuer made: the floor.
 *   <li>{@link #issuerSigner}: the active key's Nimbus signer (what {@link TokenIssuer} calls) on
 *       the same header and signing input.
 *   <li>{@link #tokenIssuerIssue}: {@link TokenIssuer#issue}: active key lookup, claims, header,
 *       signature, serialisation.
 *   <li>{@link #loginMinusHash}: what a login does besides the password hash: the user lookup on H2
 *       ({@code Users.findEnabled}, the same query {@code authenticate} runs), a new session id and
 *       {@link TokenIssuer#issue}.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IssueBenchmark {
  private IssuerFixture f;

  @Setup
  public void setUp() {
    f = new IssuerFixture();
  }

  @TearDown
  public void tearDown() {
    f.close();
  }

  /** The store, key and sample token behind the benchmarks (for the setup test). */
  IssuerFixture fixture() {
    return f;
  }

  /** Raw JCA {@code SHA256withRSA} on the signing input of one of our tokens. */
  @Benchmark
  public byte[] rawJcaSign() throws GeneralSecurityException {
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(f.privateKey);
    s.update(f.signingInput);
    return s.sign();
  }

  /** The active key's Nimbus {@code RSASSASigner} on the same header and signing input. */
  @Benchmark
  public Base64URL issuerSigner() throws JOSEException {
    return f.activeKey.signer().sign(f.header, f.signingInput);
  }

  /** A whole token from {@link TokenIssuer}, in an existing session. */
  @Benchmark
  public IssuedToken tokenIssuerIssue() {
    return f.issuer.issue(f.userId, "bench-session", Instant.now(), List.of(), null);
  }

  /**
   * A login without its password hash, as {@code SignIn.signIn} does it: the brute-force throttle
   * reservation, the user lookup, the throttle settlement of a success, and a new session (token
   * signed, session row inserted).
   */
  @Benchmark
  public SessionTokens loginMinusHash() {
    LoginThrottle.Reservation reservation = reserve();
    AuthenticatedUser user =
        f.store.users().findEnabled(IssuerFixture.EMAIL).orElseThrow(IllegalStateException::new);
    f.store.throttle().succeeded(reservation);
    return f.store.sessions().start(user, f.issuer, true);
  }

  private LoginThrottle.Reservation reserve() {
    if (f.store.throttle().reserve(IssuerFixture.EMAIL, IssuerFixture.CLIENT, null)
        instanceof LoginThrottle.Admission.Admitted admitted) {
      return admitted.reservation();
    }
    throw new IllegalStateException("throttled");
  }

  /** {@code SigningKeys.active()}: the transaction {@link TokenIssuer#issue} runs per token. */
  @Benchmark
  public ActiveKey activeKeyLookup() {
    return f.store.keys().active();
  }

  /** The throttle's reservation before a login and its settlement after a success. */
  @Benchmark
  public LoginThrottle.Reservation throttleReserveAndSucceed() {
    LoginThrottle.Reservation reservation = reserve();
    f.store.throttle().succeeded(reservation);
    return reservation;
  }

  /** {@code Users.findEnabled}: the user lookup a login runs (without its password hash). */
  @Benchmark
  public AuthenticatedUser userLookup() {
    return f.store.users().findEnabled(IssuerFixture.EMAIL).orElseThrow(IllegalStateException::new);
  }
}
