package dev.latchkey.verifier;

import com.nimbusds.jose.JWSAlgorithm;
import dev.latchkey.verifier.dpop.DpopProofChecker;
import dev.latchkey.verifier.internal.fetch.Endpoint;
import dev.latchkey.verifier.internal.keys.KeySource;
import dev.latchkey.verifier.internal.revocation.RevocationFeed;
import dev.latchkey.verifier.internal.revocation.RevokedSessions;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * What every verifier is configured with, whatever its key source: an issuer and an audience
 * (required), and optional settings at the {@link Defaults}. Obtained from one of {@link
 * JwtVerifier}'s {@code with…} entry points, which choose the key source.
 *
 * @param <B> the key source's own builder
 */
public abstract class VerifierBuilder<B extends VerifierBuilder<B>> {
  String issuer;
  final Set<String> audiences = new LinkedHashSet<>();
  Set<JWSAlgorithm> algorithms;
  Set<String> types = Defaults.TYPES;
  Duration clockSkew = Defaults.CLOCK_SKEW;
  Clock clock = Clock.systemUTC();
  LongSupplier ticker = System::nanoTime;
  Predicate<VerifiedToken> isRevoked = token -> false;
  int cacheSize = Defaults.VERIFIED_TOKEN_CACHE_SIZE;
  int maxTokenLength = Defaults.MAX_TOKEN_LENGTH;
  int maxJsonDepth = Defaults.MAX_JSON_DEPTH;
  final Set<String> requiredClaims = new LinkedHashSet<>();
  RevocationSettings revocation;
  DpopProofChecker dpop;
  boolean requireDpop;

  VerifierBuilder() {}

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** The algorithms allowed when none are configured: those of public keys unless overridden. */
  Set<JWSAlgorithm> defaultAlgorithms() {
    return Defaults.ALGORITHMS;
  }

  /** Refuses algorithms the key source cannot verify (e.g. HMAC with a public key). */
  void checkAlgorithms(Set<JWSAlgorithm> algorithms) {
    Algorithms.requirePublicKey(algorithms);
  }

  /** The key source; made only once every setting was checked, as it may start a thread. */
  abstract KeySource keySource();

  /** Required: the exact {@code iss} value. */
  public B issuer(String issuer) {
    this.issuer = Objects.requireNonNull(issuer);
    return self();
  }

  /** Required: {@code aud} must contain this value (or one of these values). */
  public B audience(String... audiences) {
    this.audiences.addAll(Arrays.asList(audiences));
    return self();
  }

  /** The allow-list of algorithms; the default depends on the key source. */
  public B algorithms(Set<JWSAlgorithm> algorithms) {
    this.algorithms = Set.copyOf(algorithms);
    return self();
  }

  public B algorithms(JWSAlgorithm... algorithms) {
    return algorithms(Set.of(algorithms));
  }

  /** Allowed {@code typ} values, case-insensitive, {@code application/} optional. */
  public B allowedTypes(String... types) {
    this.types = Set.of(types);
    return self();
  }

  public B clockSkew(Duration skew) {
    this.clockSkew = Checks.notNegative(skew, "clock skew");
    return self();
  }

  /**
   * The wall clock of the token time checks (exp, nbf, iat) and of how long revocations are held.
   */
  public B clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
    return self();
  }

  /**
   * The monotonic nanosecond ticker of scheduling, rate limits and ages ({@code System::nanoTime}
   * unless a test moves time by hand).
   */
  public B ticker(LongSupplier nanoTime) {
    this.ticker = Objects.requireNonNull(nanoTime);
    return self();
  }

  /** Called after the signature and claims are valid; true rejects with {@code revoked}. */
  public B isRevoked(Predicate<VerifiedToken> isRevoked) {
    this.isRevoked = Objects.requireNonNull(isRevoked);
    return self();
  }

  /**
   * Polls the auth server's revocation feed in the background and rejects tokens whose {@code sid}
   * it lists, with reason {@code revoked}, alongside any {@link #isRevoked} hook.
   */
  public B revocationFeed(RevocationSettings settings) {
    this.revocation = Objects.requireNonNull(settings);
    return self();
  }

  /** Verified-token cache size; 0 turns the cache off. */
  public B verifiedTokenCache(int maxEntries) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("cache size must be >= 0");
    }
    this.cacheSize = maxEntries;
    return self();
  }

  public B verifiedTokenCache(boolean enabled) {
    return verifiedTokenCache(enabled ? Defaults.VERIFIED_TOKEN_CACHE_SIZE : 0);
  }

  /**
   * The checker of DPoP proofs (algorithms, {@code iat} window, replay cache bound, server nonces);
   * by default one at {@link DpopProofChecker}'s defaults on this verifier's clock and ticker.
   * Proofs are checked for bound tokens (those with {@code cnf.jkt}) sent as {@code Authorization:
   * DPoP}; see {@link JwtVerifier#verifyDpop}.
   */
  public B dpop(DpopProofChecker checker) {
    this.dpop = Objects.requireNonNull(checker);
    return self();
  }

  /**
   * Refuses every token not sent with the DPoP scheme and a valid proof ({@code dpop_required}),
   * unbound ones included; without it, unbound tokens keep working as {@code Bearer}.
   */
  public B requireDpop() {
    this.requireDpop = true;
    return self();
  }

  /** Claims required besides exp and sub (iss and aud are required by their checks). */
  public B requiredClaims(String... names) {
    this.requiredClaims.addAll(Arrays.asList(names));
    return self();
  }

  public B maxTokenLength(int chars) {
    this.maxTokenLength = chars;
    return self();
  }

  /** JSON nesting bound of token header and payload, and of fetched documents. */
  public B maxJsonDepth(int depth) {
    this.maxJsonDepth = depth;
    return self();
  }

  /**
   * Builds the verifier. Refuses at start-up: a missing issuer or audience, no allowed type, too
   * small bounds, algorithms the key source cannot verify, an unreadable or unsafe key.
   */
  public JwtVerifier build() {
    if (issuer == null || issuer.isBlank()) {
      throw new IllegalStateException("issuer is required");
    }
    if (audiences.isEmpty()) {
      throw new IllegalStateException("audience is required");
    }
    if (types.isEmpty()) {
      throw new IllegalStateException("at least one allowed typ is required");
    }
    if (maxTokenLength < 16 || maxJsonDepth < 2) {
      throw new IllegalStateException("token bounds too small");
    }
    Set<JWSAlgorithm> allowed = algorithms == null ? defaultAlgorithms() : algorithms;
    checkAlgorithms(allowed);
    KeySource keys = keySource();
    return new JwtVerifier(this, allowed, keys, revokedSessions());
  }

  private RevokedSessions revokedSessions() {
    if (revocation == null) {
      return RevokedSessions.none();
    }
    RevocationSettings s = revocation;
    return new RevocationFeed(
        new Endpoint(
            s.uri(),
            "application/json",
            s.connectTimeout(),
            s.readTimeout(),
            s.maxResponseBytes(),
            maxJsonDepth),
        s.pollInterval(),
        s.backgroundCheck(),
        clockSkew,
        clock,
        ticker);
  }
}
