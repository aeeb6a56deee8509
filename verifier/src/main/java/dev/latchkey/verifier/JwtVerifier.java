package dev.latchkey.verifier;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import dev.latchkey.verifier.dpop.DpopProofChecker;
import dev.latchkey.verifier.dpop.DpopRequest;
import dev.latchkey.verifier.internal.keys.InMemoryKeySource;
import dev.latchkey.verifier.internal.keys.KeySource;
import dev.latchkey.verifier.internal.keys.PemKeys;
import dev.latchkey.verifier.internal.revocation.RevokedSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies Latchkey (or any JWKS-publishing issuer's) session tokens. Thread-safe; build one per
 * issuer and share it. Start from the key source:
 *
 * <pre>{@code
 * JwtVerifier verifier = JwtVerifier.withJwksUrl(URI.create("https://auth.example/.well-known/jwks.json"))
 *     .issuer("https://auth.example")
 *     .audience("lessons-api")
 *     .build();
 * }</pre>
 *
 * <p>A token passes, in order: the {@link TokenGate} (bounds, shape, algorithm allow-list), its
 * {@code typ}, key selection and signature (Nimbus), the claims ({@code aud}, required claims,
 * {@code iss}, times on the injected clock), then revocation (feed and hook).
 */
public final class JwtVerifier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JwtVerifier.class);

  private final TokenGate gate;
  private final TypeValidator type;
  private final SignatureCheck signature;
  private final TimeValidator times;
  private final ClaimValidator claims;
  private final ClaimValidator claimsIgnoringExpiry;
  private final RevocationCheck revocation;
  private final KeySource keys;
  private final RevokedSessions feed;
  private final VerifiedTokenCache cache;
  private final VerifierCounters counters = new VerifierCounters();
  private final DpopProofChecker dpop;
  private final boolean requireDpop;

  JwtVerifier(
      VerifierBuilder<?> b, Set<JWSAlgorithm> algorithms, KeySource keys, RevokedSessions feed) {
    this.gate = new TokenGate(algorithms, b.maxTokenLength, b.maxJsonDepth);
    this.type = new TypeValidator(b.types);
    this.signature = new SignatureCheck(algorithms, keys);
    this.times = TimeValidator.of(b.clock, b.clockSkew);
    Set<String> required = new LinkedHashSet<>(List.of("exp", "sub", "iss"));
    required.addAll(b.requiredClaims);
    ClaimValidator audience = ClaimValidators.audience(b.audiences);
    ClaimValidator present = ClaimValidators.required(required);
    ClaimValidator issuer = ClaimValidators.issuer(b.issuer);
    this.claims = ClaimValidator.all(List.of(audience, present, issuer, times));
    this.claimsIgnoringExpiry =
        ClaimValidator.all(List.of(audience, present, issuer, times.ignoringTimes()));
    this.revocation = new RevocationCheck(feed, b.isRevoked);
    this.keys = keys;
    this.feed = feed;
    this.cache = new VerifiedTokenCache(b.cacheSize, b.clock, b.ticker);
    this.dpop =
        b.dpop != null
            ? b.dpop
            : DpopProofChecker.builder().clock(b.clock).ticker(b.ticker).build();
    this.requireDpop = b.requireDpop;
    keys.onKeysRemoved(cache::clear);
    feed.onKeysRevoked(
        kids -> {
          keys.forget(kids);
          cache.clear();
        });
  }

  /** Keys from a JWK Set URL; tune the fetching with {@link JwksUrlBuilder#jwks}. */
  public static JwksUrlBuilder withJwksUrl(URI url) {
    return new JwksUrlBuilder(url);
  }

  /**
   * Everything from the issuer URL, like Spring Boot's {@code issuer-uri}: {@code iss} must equal
   * it, and the keys come from the {@code jwks_uri} of its discovery document ({@code
   * <issuer>/.well-known/openid-configuration}, whose {@code issuer} must equal the URL); see
   * {@link IssuerBuilder}.
   */
  public static IssuerBuilder withIssuerUri(URI issuer) {
    return new IssuerBuilder(issuer);
  }

  /** Keys from a PEM file (PUBLIC KEY or CERTIFICATE blocks, RSA or EC), read at build. */
  public static PublicKeyBuilder withPublicKeyPem(Path file) {
    Objects.requireNonNull(file);
    return PublicKeyBuilder.fixed(
        () -> {
          try {
            return PemKeys.read(file);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read public key PEM", e);
          }
        });
  }

  /** Keys from PEM text (PUBLIC KEY or CERTIFICATE blocks, RSA or EC); private keys refused. */
  public static PublicKeyBuilder withPublicKeyPem(String pem) {
    Objects.requireNonNull(pem);
    return PublicKeyBuilder.fixed(() -> PemKeys.parse(pem));
  }

  /** A fixed JWK Set (public parts only are kept; symmetric keys are refused). */
  public static PublicKeyBuilder withJwkSet(JWKSet keys) {
    Objects.requireNonNull(keys);
    return PublicKeyBuilder.fixed(() -> keys);
  }

  /**
   * The current JWK Set of {@code currentKeys}, asked on every verification that is not a cache
   * hit, so a key it stops returning stops verifying at once (and empties the verified-token
   * cache). For an application that holds its issuer's keys itself, such as the auth server
   * checking its own tokens. Return the same (or an equal) set while nothing changed: keys are then
   * converted once.
   */
  public static PublicKeyBuilder withJwkSetSupplier(Supplier<JWKSet> currentKeys) {
    Objects.requireNonNull(currentKeys);
    return new PublicKeyBuilder(() -> new InMemoryKeySource(currentKeys));
  }

  /** HMAC with a shared secret of at least 256 bits (HS256 unless configured otherwise). */
  public static SecretKeyBuilder withSecret(byte[] secret) {
    return new SecretKeyBuilder(Objects.requireNonNull(secret));
  }

  /**
   * Verifies a compact JWS token.
   *
   * @throws TokenRejectedException with the reason; never any other exception for any input
   */
  public VerifiedToken verify(String token) {
    return verifyPresented(token, null);
  }

  /**
   * Verifies a token sent as {@code Authorization: DPoP <token>} with the request's {@code DPoP}
   * proof: the token as {@link #verify}, then, on every request (a cached token too), the token
   * must be bound ({@code cnf.jkt}) and the proof pass {@link DpopProofChecker#check} with this
   * token's hash as {@code ath} and the bound key's thumbprint.
   *
   * <p>{@link #verify} is the {@code Bearer} (and cookie) presentation: it refuses bound tokens,
   * and every token when the verifier {@linkplain VerifierBuilder#requireDpop requires DPoP}.
   *
   * @throws TokenRejectedException with the reason; never any other exception for any input
   */
  public VerifiedToken verifyDpop(String token, DpopRequest request) {
    return verifyPresented(token, Objects.requireNonNull(request));
  }

  private VerifiedToken verifyPresented(String token, DpopRequest dpopRequest) {
    try {
      VerifiedToken t = contained(() -> cachedOrVerified(token));
      checkBinding(t, token, dpopRequest);
      counters.accepted();
      return t;
    } catch (TokenRejectedException e) {
      counters.rejected(e.reason());
      throw e;
    }
  }

  /** Never cached: a proof is per request. */
  private void checkBinding(VerifiedToken t, String token, DpopRequest dpopRequest) {
    Optional<String> jkt = t.boundKeyThumbprint();
    if (t.hasConfirmation() && jkt.isEmpty()) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "a cnf that is not a jkt");
    }
    if (dpopRequest == null) {
      if (jkt.isPresent() || requireDpop) {
        throw new TokenRejectedException(RejectionReason.DPOP_REQUIRED);
      }
      return;
    }
    if (jkt.isEmpty()) {
      throw new TokenRejectedException(RejectionReason.DPOP_TOKEN_NOT_BOUND);
    }
    dpop.check(dpopRequest, token, jkt.get());
  }

  /** The DPoP proof checker of this verifier (algorithms for challenges, current nonce). */
  public DpopProofChecker dpop() {
    return dpop;
  }

  /** Whether every token must come with the DPoP scheme and a proof. */
  public boolean requiresDpop() {
    return requireDpop;
  }

  /**
   * Verifies everything but the times ({@code exp}, {@code nbf}, {@code iat}), skipping the cache,
   * the revocation checks and the counters: for recognising a token this issuer signed, after it
   * expired or from an instance whose clock runs ahead (e.g. to end its session at logout).
   *
   * @throws TokenRejectedException with the reason; never any other exception for any input
   */
  public VerifiedToken verifyIgnoringExpiry(String token) {
    return contained(() -> verified(token, claimsIgnoringExpiry));
  }

  /**
   * As {@link #verifyIgnoringExpiry}, and the token's DPoP binding checked as {@link #verify} and
   * {@link #verifyDpop} check it: {@code dpopRequest} null is the {@code Bearer} presentation (a
   * bound token is {@code dpop_required}), else the {@code DPoP} one, whose proof must pass {@link
   * DpopProofChecker#check} for this token and its key (the proof is spent). For acting on a token
   * that may have expired, such as ending its session at logout, where a copied bound token must be
   * of no use without its key.
   *
   * @throws TokenRejectedException with the reason; never any other exception for any input
   */
  public VerifiedToken verifyPresentedIgnoringExpiry(String token, DpopRequest dpopRequest) {
    VerifiedToken t = verifyIgnoringExpiry(token);
    checkBinding(t, token, dpopRequest);
    return t;
  }

  private static VerifiedToken contained(Supplier<VerifiedToken> verification) {
    try {
      return verification.get();
    } catch (TokenRejectedException e) {
      LOG.debug("token rejected: {}", e.code());
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      LOG.debug("token rejected: malformed ({})", e.getClass().getSimpleName());
      throw new TokenRejectedException(RejectionReason.MALFORMED);
    }
  }

  private VerifiedToken cachedOrVerified(String token) {
    gate.checkLength(token);
    Object cacheKey = cache.keyOf(token);
    // Asked before the lookup: a source that notices a removed key empties the cache first.
    VerifiedToken hit = cacheKey != null && keys.usable() ? cache.get(cacheKey) : null;
    if (hit != null) {
      Optional<RejectionReason> late = times.validate(hit);
      if (late.isPresent()) {
        cache.remove(cacheKey);
        throw new TokenRejectedException(late.get());
      }
      revocation.check(hit);
      counters.cacheHit();
      return hit;
    }
    long generation = cache.generation();
    VerifiedToken verified = verified(token, claims);
    revocation.check(verified);
    cache.put(cacheKey, verified, generation);
    return verified;
  }

  private VerifiedToken verified(String token, ClaimValidator claimChecks) {
    ParsedToken jwt = gate.parse(token);
    JWSHeader header = jwt.header();
    refuseIf(type.validate(header.getType()));
    signature.verify(jwt);
    refuseIf(claimChecks.validate(jwt.claims()));
    return VerifiedToken.of(jwt.claims(), header.getKeyID(), header.getAlgorithm().getName());
  }

  private static void refuseIf(Optional<RejectionReason> reason) {
    if (reason.isPresent()) {
      throw new TokenRejectedException(reason.get());
    }
  }

  /** The counters, as a snapshot. */
  public VerifierMetrics metrics() {
    return counters.snapshot(keys.stats(), feed.stats(), feed.cursor());
  }

  /**
   * Polls the revocation feed now (bounded by the timeouts), e.g. from an admin hook right after a
   * revocation; returns whether the poll succeeded. False when no feed is configured.
   */
  public boolean refreshRevocations() {
    return feed.pollNow();
  }

  /**
   * Refetches the JWK Set now (subject to the rate limit), e.g. from an admin hook after a key was
   * revoked; returns whether keys are held. A no-op returning true for keys held in memory.
   */
  public boolean refreshKeys() {
    return keys.refreshNow();
  }

  /** Empties the verified-token cache. */
  public void clearCache() {
    cache.clear();
  }

  /** Stops the background threads (JWKS refresh, revocation feed poller). */
  @Override
  public void close() {
    keys.close();
    feed.close();
  }
}
