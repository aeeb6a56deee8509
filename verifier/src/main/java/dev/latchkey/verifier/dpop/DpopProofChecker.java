package dev.latchkey.verifier.dpop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.TokenRejectedException;
import dev.latchkey.verifier.wire.Digests;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Checks DPoP proofs (RFC 9449 §4.3), each refusal a {@link RejectionReason}: one proof of bounded
 * size; {@code typ: dpop+jwt}; an allowed asymmetric {@code alg}; a public {@code jwk} header
 * without private parts, with which the signature verifies; {@code jti}, {@code htm}, {@code htu},
 * {@code iat} present; {@code htm} and {@code htu} equal to the request; {@code iat} within the
 * window; the server nonce when nonces are on; {@code ath} equal to the presented token's hash; the
 * key's thumbprint equal to the expected one; and {@code jti} not seen within the window.
 *
 * <p>Thread-safe; one per application (its replay cache is per instance). Used by {@link
 * dev.latchkey.verifier.JwtVerifier} for bound tokens, and reusable wherever a proof arrives (an
 * auth server's token endpoint: no token, no expected key).
 */
public final class DpopProofChecker {
  /** ES256, RS256 and PS256: asymmetric, and what WebCrypto and the common clients sign with. */
  public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS =
      ordered(JWSAlgorithm.ES256, JWSAlgorithm.RS256, JWSAlgorithm.PS256);

  /**
   * 60 s either side of now for {@code iat}: a proof is made just before its request, so this only
   * absorbs clock differences, and it bounds how long a proof must be remembered.
   */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);

  /**
   * 1 000 000 proofs remembered per instance: 8 333 DPoP requests a second sustained over the 2 min
   * a proof is held; beyond that, new proofs are refused (503) until entries expire. About 32 bytes
   * an entry (34.6 measured on G1 with bench's ReplayCacheBytes), so 32–35 MB when full; the cache
   * grows to that as it fills (8 KB empty).
   */
  public static final int DEFAULT_REPLAY_CACHE_SIZE = 1_000_000;

  /**
   * 10 000 ES256 keys kept with their precomputed multiples (about 2.8 KB each, 28 MB in all): a
   * key's next proof verifies in about 40 % of the time of its first.
   */
  public static final int DEFAULT_KEY_CACHE_SIZE = 10_000;

  /** 8 KiB, as for tokens: a proof with an RSA-2048 key is about 1 KiB. */
  private static final int MAX_PROOF_LENGTH = 8 * 1024;

  /** {@code jti} at most 256 characters: the SDK's factory makes 16 random bytes (22). */
  private static final int MAX_JTI_LENGTH = 256;

  private static final Set<JWSAlgorithm> ASYMMETRIC =
      Set.of(
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512);

  private final Set<JWSAlgorithm> algorithms;
  private final Duration window;
  private final Clock clock;
  private final DpopNonces nonces;
  private final DpopReplayStore replays;
  private final Es256Signatures es256;

  private DpopProofChecker(Builder b) {
    this.algorithms = b.algorithms;
    this.window = b.window;
    this.clock = b.clock;
    this.nonces = b.nonces;
    this.replays =
        b.replays != null
            ? b.replays
            : new ReplayCache(b.replayCacheSize, b.window.multipliedBy(2).toNanos(), b.ticker);
    this.es256 = new Es256Signatures(b.keyCacheSize);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The allowed proof algorithms (for the {@code algs} of a {@code DPoP} challenge). */
  public Set<JWSAlgorithm> algorithms() {
    return algorithms;
  }

  /** The nonce to send in {@code DPoP-Nonce}, when nonces are on. */
  public Optional<String> currentNonce() {
    return nonces == null ? Optional.empty() : Optional.of(nonces.current());
  }

  /**
   * Checks the proof of {@code request}.
   *
   * @param accessToken the token presented with the proof (its hash must be {@code ath}), or null
   *     where no token is presented (a token request)
   * @param expectedThumbprint the {@code cnf.jkt} the proof's key must have, or null
   * @return the accepted proof; its {@code jti} is now spent
   * @throws TokenRejectedException with a {@code DPOP_…} reason; never any other exception
   */
  public DpopProof check(DpopRequest request, String accessToken, String expectedThumbprint) {
    try {
      return checked(request, accessToken, expectedThumbprint);
    } catch (TokenRejectedException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw refuse(RejectionReason.DPOP_PROOF_MALFORMED);
    }
  }

  private DpopProof checked(DpopRequest request, String accessToken, String expectedThumbprint) {
    List<String> proofs = request.proofs();
    if (proofs.isEmpty()) {
      throw refuse(RejectionReason.DPOP_PROOF_MISSING);
    }
    String proof = proofs.get(0);
    if (proofs.size() > 1 || proof == null || proof.length() > MAX_PROOF_LENGTH) {
      throw refuse(RejectionReason.DPOP_PROOF_MALFORMED);
    }
    SignedJWT jwt = parse(proof);
    if (!algorithms.contains(jwt.getHeader().getAlgorithm())) {
      throw refuse(RejectionReason.DPOP_PROOF_DISALLOWED_ALGORITHM);
    }
    if (jwt.getHeader().getType() == null
        || !DPoPProofFactory.TYPE.toString().equalsIgnoreCase(jwt.getHeader().getType().toString())
        || jwt.getHeader().getCriticalParams() != null) {
      throw refuse(RejectionReason.DPOP_PROOF_MALFORMED);
    }
    JWK key = jwt.getHeader().getJWK();
    if (key == null || key.isPrivate()) {
      throw refuse(RejectionReason.DPOP_PROOF_MALFORMED);
    }
    String thumbprint = thumbprintOf(key);
    verifySignature(jwt, key, thumbprint);
    JWTClaimsSet claims = claims(jwt);
    String jti = claims.getJWTID();
    Object htm = claims.getClaim("htm");
    Object htu = claims.getClaim("htu");
    Date iat = claims.getIssueTime();
    if (jti == null
        || jti.isEmpty()
        || jti.length() > MAX_JTI_LENGTH
        || !(htm instanceof String method)
        || !(htu instanceof String url)
        || iat == null) {
      throw refuse(RejectionReason.DPOP_PROOF_MALFORMED);
    }
    if (!method.equals(request.method())) {
      throw refuse(RejectionReason.DPOP_PROOF_WRONG_METHOD);
    }
    String expectedUrl = HttpUris.normalized(request.url());
    if (expectedUrl == null || !expectedUrl.equals(HttpUris.normalized(url))) {
      throw refuse(RejectionReason.DPOP_PROOF_WRONG_URL);
    }
    Instant now = clock.instant();
    Instant issued = iat.toInstant();
    if (issued.isBefore(now.minus(window)) || issued.isAfter(now.plus(window))) {
      throw refuse(RejectionReason.DPOP_PROOF_STALE);
    }
    if (nonces != null && !(claims.getClaim("nonce") instanceof String n && nonces.accepts(n))) {
      throw refuse(RejectionReason.DPOP_NONCE_REQUIRED);
    }
    if (accessToken != null
        && !(claims.getClaim("ath") instanceof String ath
            && ath.equals(Digests.sha256Base64Url(accessToken)))) {
      throw refuse(RejectionReason.DPOP_PROOF_WRONG_TOKEN);
    }
    if (expectedThumbprint != null && !expectedThumbprint.equals(thumbprint)) {
      throw refuse(RejectionReason.DPOP_PROOF_WRONG_KEY);
    }
    switch (replays.use(thumbprint + ' ' + jti, now.plus(window.multipliedBy(2)))) {
      case REPLAYED -> throw refuse(RejectionReason.DPOP_PROOF_REPLAYED);
      case FULL -> throw refuse(RejectionReason.DPOP_REPLAY_CACHE_FULL);
      case FIRST -> {}
    }
    return new DpopProof(thumbprint, key, jti, issued);
  }

  /**
   * The proof as a signed JWT. One Nimbus does not parse is malformed, unless its {@code alg} is
   * not allowed: {@code none} (which Nimbus refuses as "not a JWS") and HMAC are refused as
   * disallowed, as they are when parsed.
   */
  private SignedJWT parse(String proof) {
    try {
      return SignedJWT.parse(proof);
    } catch (ParseException e) {
      if (!algorithmNameAllowed(proof)) {
        throw refuse(RejectionReason.DPOP_PROOF_DISALLOWED_ALGORITHM);
      }
      throw refuse(RejectionReason.DPOP_PROOF_MALFORMED);
    }
  }

  /** Whether the header's {@code alg} is an allowed name; true when it cannot be read. */
  private boolean algorithmNameAllowed(String proof) {
    int dot = proof.indexOf('.');
    if (dot <= 0) {
      return true;
    }
    try {
      Map<String, Object> header =
          JSONObjectUtils.parse(new Base64URL(proof.substring(0, dot)).decodeToString());
      return !(header.get("alg") instanceof String alg)
          || algorithms.stream().anyMatch(a -> a.getName().equals(alg));
    } catch (ParseException e) {
      return true;
    }
  }

  private void verifySignature(SignedJWT jwt, JWK key, String thumbprint) {
    if (key instanceof ECKey ec && JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
      verifyEs256(jwt, ec, thumbprint);
      return;
    }
    JWSVerifier verifier;
    try {
      if (key instanceof ECKey ec) {
        verifier = new ECDSAVerifier(ec);
      } else if (key instanceof RSAKey rsa) {
        verifier = new RSASSAVerifier(rsa);
      } else {
        throw refuse(RejectionReason.DPOP_PROOF_MALFORMED);
      }
      if (!verifier.supportedJWSAlgorithms().contains(jwt.getHeader().getAlgorithm())) {
        throw refuse(RejectionReason.DPOP_PROOF_MALFORMED); // e.g. ES256 with an RSA key
      }
      if (!jwt.verify(verifier)) {
        throw refuse(RejectionReason.DPOP_PROOF_BAD_SIGNATURE);
      }
    } catch (JOSEException e) {
      throw refuse(RejectionReason.DPOP_PROOF_BAD_SIGNATURE);
    }
  }

  private void verifyEs256(SignedJWT jwt, ECKey key, String thumbprint) {
    boolean valid;
    try {
      valid = es256.verify(thumbprint, key, jwt.getSigningInput(), jwt.getSignature().decode());
    } catch (IllegalArgumentException e) {
      throw refuse(RejectionReason.DPOP_PROOF_MALFORMED); // not a P-256 key
    }
    if (!valid) {
      throw refuse(RejectionReason.DPOP_PROOF_BAD_SIGNATURE);
    }
  }

  private static JWTClaimsSet claims(SignedJWT jwt) {
    try {
      return jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw refuse(RejectionReason.DPOP_PROOF_MALFORMED);
    }
  }

  /** The RFC 7638 SHA-256 thumbprint, base64url: the form of {@code cnf.jkt}. */
  public static String thumbprintOf(JWK key) {
    try {
      return key.computeThumbprint("SHA-256").toString();
    } catch (JOSEException e) {
      throw refuse(RejectionReason.DPOP_PROOF_MALFORMED);
    }
  }

  /** In the given order, so {@code algs} reads the same on every run. */
  private static Set<JWSAlgorithm> ordered(JWSAlgorithm... algorithms) {
    return java.util.Collections.unmodifiableSet(
        new java.util.LinkedHashSet<>(java.util.Arrays.asList(algorithms)));
  }

  private static TokenRejectedException refuse(RejectionReason reason) {
    return new TokenRejectedException(reason);
  }

  /** Settings of a {@link DpopProofChecker}, at the stated defaults. */
  public static final class Builder {
    private Set<JWSAlgorithm> algorithms = DEFAULT_ALGORITHMS;
    private Duration window = DEFAULT_WINDOW;
    private int replayCacheSize = DEFAULT_REPLAY_CACHE_SIZE;
    private int keyCacheSize = DEFAULT_KEY_CACHE_SIZE;
    private Clock clock = Clock.systemUTC();
    private LongSupplier ticker = System::nanoTime;
    private DpopNonces nonces;
    private DpopReplayStore replays;

    private Builder() {}

    /** The allowed proof algorithms: asymmetric only (ES, RS, PS); none and HMAC are refused. */
    public Builder algorithms(JWSAlgorithm... algorithms) {
      Set<JWSAlgorithm> chosen = ordered(algorithms);
      if (chosen.isEmpty() || !ASYMMETRIC.containsAll(chosen)) {
        throw new IllegalArgumentException("DPoP proofs need asymmetric algorithms (ES, RS, PS)");
      }
      this.algorithms = chosen;
      return this;
    }

    /** How far {@code iat} may be from now, either way; proofs are remembered twice as long. */
    public Builder window(Duration window) {
      if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("the DPoP window must be within (0, 10 min]");
      }
      this.window = window;
      return this;
    }

    /** At most this many proofs remembered at once (per instance): 1 to 2^29. */
    public Builder replayCacheSize(int maxEntries) {
      if (maxEntries < 1 || maxEntries > ReplayCache.MAX_ENTRIES) {
        throw new IllegalArgumentException(
            "the replay cache holds 1 to "
                + ReplayCache.MAX_ENTRIES
                + " entries, not "
                + maxEntries);
      }
      this.replayCacheSize = maxEntries;
      return this;
    }

    /** At most this many ES256 proof keys kept ready (per instance); at least 1. */
    public Builder keyCacheSize(int maxKeys) {
      if (maxKeys < 1) {
        throw new IllegalArgumentException("the key cache needs at least one entry");
      }
      this.keyCacheSize = maxKeys;
      return this;
    }

    /**
     * Remembers accepted proofs in {@code store} instead of this instance's bounded cache (then
     * {@link #replayCacheSize} does not apply): a store shared by every instance refuses a proof
     * replayed at another one.
     */
    public Builder replayStore(DpopReplayStore store) {
      this.replays = Objects.requireNonNull(store);
      return this;
    }

    /** The wall clock of {@code iat}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** The monotonic nanosecond ticker of the replay cache's lifetimes. */
    public Builder ticker(LongSupplier nanoTime) {
      this.ticker = Objects.requireNonNull(nanoTime);
      return this;
    }

    /** Requires server nonces ({@code use_dpop_nonce} until a proof carries a current one). */
    public Builder nonces(DpopNonces nonces) {
      this.nonces = Objects.requireNonNull(nonces);
      return this;
    }

    public DpopProofChecker build() {
      return new DpopProofChecker(this);
    }
  }
}
