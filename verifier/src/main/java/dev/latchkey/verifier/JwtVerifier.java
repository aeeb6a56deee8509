package dev.latchkey.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.latchkey.verifier.keys.ConvertedKeySelector;
import dev.latchkey.verifier.keys.JwksKeySource;
import dev.latchkey.verifier.keys.JwksSettings;
import dev.latchkey.verifier.keys.KeysUnavailableException;
import dev.latchkey.verifier.keys.PemKeys;
import dev.latchkey.verifier.keys.StaticKeySource;
import dev.latchkey.verifier.revocation.RevocationFeed;
import dev.latchkey.verifier.revocation.RevocationSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies Latchkey (or any JWKS-publishing issuer's) session tokens. Thread-safe; build one per
 * issuer and share it. Configures Nimbus's {@link DefaultJWTProcessor}; bounds and shape checks run
 * before Nimbus sees the input.
 */
public final class JwtVerifier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JwtVerifier.class);
  private static final Set<JWSAlgorithm> HMAC = JWSAlgorithm.Family.HMAC_SHA;
  private static final Set<JWSAlgorithm> PUBLIC_KEY;

  static {
    Set<JWSAlgorithm> pk = new LinkedHashSet<>();
    pk.addAll(JWSAlgorithm.Family.RSA);
    pk.addAll(JWSAlgorithm.Family.EC);
    pk.addAll(JWSAlgorithm.Family.ED);
    PUBLIC_KEY = Collections.unmodifiableSet(pk);
  }

  private final DefaultJWTProcessor<SecurityContext> processor;
  private final Set<JWSAlgorithm> algorithms;
  private final Set<String> types;
  private final int maxTokenLength;
  private final int maxJsonDepth;
  private final ClaimsPolicy claimsPolicy;
  private final Predicate<VerifiedToken> isRevoked;
  private final VerifiedTokenCache cache;
  private final JwksKeySource jwks;
  private final RevocationFeed feed;
  private final int staticKeys;
  private final LongAdder accepted = new LongAdder();
  private final LongAdder cacheHits = new LongAdder();
  private final Map<RejectionReason, LongAdder> rejected = new EnumMap<>(RejectionReason.class);

  private JwtVerifier(
      Builder b, JWKSource<SecurityContext> source, JwksKeySource jwks, int staticKeys) {
    this.algorithms = Set.copyOf(b.algorithms);
    this.types = normalise(b.types);
    this.maxTokenLength = b.maxTokenLength;
    this.maxJsonDepth = b.maxJsonDepth;
    this.isRevoked = b.isRevoked;
    this.jwks = jwks;
    this.staticKeys = staticKeys;
    this.feed = b.revocationFeed == null ? null : new RevocationFeed(b.revocationSettings());
    this.claimsPolicy =
        new ClaimsPolicy(b.issuer, Set.copyOf(b.audiences), b.requiredClaims, b.clock, b.clockSkew);
    for (RejectionReason r : RejectionReason.values()) {
      rejected.put(r, new LongAdder());
    }
    this.cache = b.cacheSize > 0 ? new VerifiedTokenCache(b.cacheSize) : null;
    if (cache != null && jwks != null) {
      jwks.onKeysRemoved(removed -> cache.clear());
    }
    processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(
        (type, ctx) -> {
          if (type == null || !types.contains(normalise(type.getType()))) {
            throw new ClaimsPolicy.Rejection(RejectionReason.WRONG_TYPE, "typ not allowed");
          }
        });
    processor.setJWSKeySelector(new ConvertedKeySelector(algorithms, source));
    processor.setJWSVerifierFactory(new ReusedVerifierFactory());
    processor.setJWTClaimsSetVerifier(claimsPolicy);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies a compact JWS token.
   *
   * @throws TokenRejectedException with the reason; never any other exception for any input
   */
  public VerifiedToken verify(String token) {
    try {
      VerifiedToken t = doVerify(token);
      accepted.increment();
      return t;
    } catch (TokenRejectedException e) {
      rejected.get(e.reason()).increment();
      LOG.debug("token rejected: {}", e.code());
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      rejected.get(RejectionReason.MALFORMED).increment();
      LOG.debug("token rejected: malformed ({})", e.getClass().getSimpleName());
      throw new TokenRejectedException(RejectionReason.MALFORMED);
    }
  }

  private VerifiedToken doVerify(String token) {
    if (token == null || token.isEmpty() || token.length() > maxTokenLength) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "empty or oversized token");
    }
    Object cacheKey = null;
    if (cache != null) {
      cacheKey = VerifiedTokenCache.keyOf(token);
      VerifiedToken hit = cache.get(cacheKey);
      if (hit != null && (jwks == null || jwks.usable())) {
        try {
          claimsPolicy.checkTimes(hit);
        } catch (TokenRejectedException e) {
          cache.remove(cacheKey);
          throw e;
        }
        checkRevoked(hit);
        cacheHits.increment();
        return hit;
      }
    }
    SignedJWT jwt = parse(token);
    JWTClaimsSet claims;
    try {
      claims = processor.process(jwt, null);
    } catch (ClaimsPolicy.Rejection r) {
      throw new TokenRejectedException(r.reason, r.getMessage());
    } catch (BadJWSException e) {
      throw new TokenRejectedException(RejectionReason.BAD_SIGNATURE);
    } catch (BadJOSEException e) {
      if (e.getMessage() != null && e.getMessage().contains("no matching key")) {
        throw new TokenRejectedException(RejectionReason.UNKNOWN_KEY);
      }
      throw new TokenRejectedException(RejectionReason.MALFORMED, e.getMessage());
    } catch (KeysUnavailableException e) {
      throw new TokenRejectedException(RejectionReason.KEYS_UNAVAILABLE, e.getMessage());
    } catch (JOSEException e) {
      throw new TokenRejectedException(RejectionReason.BAD_SIGNATURE, e.getMessage());
    }
    JWSHeader header = jwt.getHeader();
    VerifiedToken verified =
        VerifiedToken.of(claims, header.getKeyID(), header.getAlgorithm().getName());
    checkRevoked(verified);
    if (cache != null) {
      cache.put(cacheKey, verified, claimsPolicy.currentTime().toInstant());
    }
    return verified;
  }

  /** The feed (lock-free lookup of the sid), then the user's hook: either one revoking rejects. */
  private void checkRevoked(VerifiedToken t) {
    if (feed != null && feed.isRevoked(t.sessionId())) {
      throw new TokenRejectedException(RejectionReason.REVOKED);
    }
    if (isRevoked == null) {
      return;
    }
    boolean revoked;
    try {
      revoked = isRevoked.test(t);
    } catch (RuntimeException e) {
      LOG.warn("isRevoked hook failed ({}); refusing the token", e.getClass().getSimpleName());
      revoked = true;
    }
    if (revoked) {
      throw new TokenRejectedException(RejectionReason.REVOKED);
    }
  }

  /** base64url characters, by ASCII code. */
  private static final boolean[] BASE64URL = new boolean[128];

  static {
    for (char c = 'A'; c <= 'Z'; c++) {
      BASE64URL[c] = true;
      BASE64URL[c - 'A' + 'a'] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      BASE64URL[c] = true;
    }
    BASE64URL['-'] = true;
    BASE64URL['_'] = true;
  }

  /**
   * Bounds and shape before Nimbus: length, 3 base64url parts, JSON depth, alg allow-list, crit.
   * Header and payload are decoded once here; the payload bytes then give the claims set, which the
   * returned token hands to the processor instead of decoding and parsing the payload again.
   */
  private SignedJWT parse(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0 || second == first + 1) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "not three parts");
    }
    for (int i = 0, n = token.length(); i < n; i++) {
      char c = token.charAt(i);
      if (c >= 128 || !(BASE64URL[c] || c == '.')) {
        throw new TokenRejectedException(RejectionReason.MALFORMED, "not base64url");
      }
    }
    String headerPart = token.substring(0, first);
    String payloadPart = token.substring(first + 1, second);
    byte[] headerJson = decode(headerPart);
    byte[] payloadJson = decode(payloadPart);
    if (!JsonDepth.within(headerJson, maxJsonDepth)
        || !JsonDepth.within(payloadJson, maxJsonDepth)) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "JSON nested too deeply");
    }
    ParsedJwt jwt;
    try {
      jwt =
          new ParsedJwt(
              new Base64URL(headerPart),
              new Base64URL(payloadPart),
              new Base64URL(token.substring(second + 1)));
    } catch (ParseException e) {
      throw new TokenRejectedException(
          whyUnparsable(headerJson, second == token.length() - 1), "unparsable");
    }
    JWSHeader header = jwt.getHeader();
    if (!algorithms.contains(header.getAlgorithm())) {
      throw new TokenRejectedException(RejectionReason.DISALLOWED_ALGORITHM);
    }
    if (header.getCriticalParams() != null) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "unsupported crit header");
    }
    try {
      jwt.claims =
          JWTClaimsSet.parse(
              JSONObjectUtils.parse(new String(payloadJson, StandardCharsets.UTF_8)));
    } catch (ParseException e) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "payload is not a claims set");
    }
    return jwt;
  }

  /**
   * A {@link SignedJWT} (header and signing input parsed by Nimbus as usual) whose claims set was
   * parsed once, by {@link #parse}, from the payload bytes decoded for the depth check.
   */
  private static final class ParsedJwt extends SignedJWT {
    private static final long serialVersionUID = 1L;
    private transient JWTClaimsSet claims;

    ParsedJwt(Base64URL header, Base64URL payload, Base64URL signature) throws ParseException {
      super(header, payload, signature);
    }

    @Override
    public JWTClaimsSet getJWTClaimsSet() throws ParseException {
      JWTClaimsSet c = claims;
      return c != null ? c : super.getJWTClaimsSet();
    }
  }

  /**
   * Nimbus refuses {@code "alg":"none"} and an empty signature as unparsable; report them as the
   * disallowed algorithm and the missing signature they are.
   */
  private RejectionReason whyUnparsable(byte[] headerJson, boolean emptySignature) {
    try {
      Object alg = JSONObjectUtils.parse(new String(headerJson, StandardCharsets.UTF_8)).get("alg");
      if (alg instanceof String name) {
        boolean allowed = algorithms.stream().anyMatch(a -> a.getName().equals(name));
        if (!allowed) {
          return RejectionReason.DISALLOWED_ALGORITHM;
        }
        return emptySignature ? RejectionReason.BAD_SIGNATURE : RejectionReason.MALFORMED;
      }
    } catch (ParseException | RuntimeException e) {
      // malformed
    }
    return RejectionReason.MALFORMED;
  }

  private static final java.util.Base64.Decoder BASE64URL_DECODER =
      java.util.Base64.getUrlDecoder();

  /** The JDK's decoder (several times faster than Nimbus's); the characters were checked. */
  private static byte[] decode(String part) {
    try {
      return BASE64URL_DECODER.decode(part);
    } catch (RuntimeException e) {
      throw new TokenRejectedException(RejectionReason.MALFORMED, "bad base64url");
    }
  }

  private static String normalise(String type) {
    String t = type.toLowerCase(Locale.ROOT);
    return t.startsWith("application/") ? t.substring("application/".length()) : t;
  }

  private static Set<String> normalise(Set<String> types) {
    Set<String> out = new LinkedHashSet<>();
    for (String t : types) {
      out.add(normalise(t));
    }
    return Set.copyOf(out);
  }

  /** The counters, as a snapshot. */
  public VerifierMetrics metrics() {
    Map<String, Long> byReason = new LinkedHashMap<>();
    for (Map.Entry<RejectionReason, LongAdder> e : rejected.entrySet()) {
      byReason.put(e.getKey().code(), e.getValue().sum());
    }
    return new VerifierMetrics(
        accepted.sum(),
        Collections.unmodifiableMap(byReason),
        cacheHits.sum(),
        jwks == null ? 0 : jwks.fetchesOk(),
        jwks == null ? 0 : jwks.fetchesFailed(),
        jwks == null ? staticKeys : jwks.keysHeld(),
        jwks == null ? null : jwks.keysAge(),
        feed == null ? 0 : feed.pollsOk(),
        feed == null ? 0 : feed.pollsFailed(),
        feed == null ? 0 : feed.size(),
        feed == null ? null : feed.age());
  }

  /**
   * Polls the revocation feed now (bounded by the timeouts), e.g. from an admin hook right after a
   * revocation; returns whether the poll succeeded. False when no feed is configured.
   */
  public boolean refreshRevocations() {
    return feed != null && feed.pollNow();
  }

  /**
   * Refetches the JWK Set now (subject to the rate limit), e.g. from an admin hook after a key was
   * revoked; returns whether keys are held. A no-op returning true for static sources.
   */
  public boolean refreshKeys() {
    return jwks == null || jwks.refreshNow();
  }

  /** Empties the verified-token cache (if any). */
  public void clearCache() {
    if (cache != null) {
      cache.clear();
    }
  }

  /** Stops the background threads (JWKS refresh, revocation feed poller). */
  @Override
  public void close() {
    if (jwks != null) {
      jwks.close();
    }
    if (feed != null) {
      feed.close();
    }
  }

  /** Configuration; exactly one key source, an issuer and an audience are required. */
  public static final class Builder {
    private URI jwksUrl;
    private JWKSet jwkSet;
    private Path pemFile;
    private String pemText;
    private byte[] hmacSecret;
    private String issuer;
    private final Set<String> audiences = new LinkedHashSet<>();
    private Set<JWSAlgorithm> algorithms;
    private Set<String> types = Defaults.TYPES;
    private Duration clockSkew = Defaults.CLOCK_SKEW;
    private Clock clock = Clock.systemUTC();
    private Predicate<VerifiedToken> isRevoked;
    private int cacheSize = Defaults.VERIFIED_TOKEN_CACHE_SIZE;
    private int maxTokenLength = Defaults.MAX_TOKEN_LENGTH;
    private int maxJsonDepth = Defaults.MAX_JSON_DEPTH;
    private final Set<String> requiredClaims = new LinkedHashSet<>();
    private Duration jwksCacheTtl = Defaults.JWKS_CACHE_TTL;
    private Duration jwksRefreshAhead = Defaults.JWKS_REFRESH_AHEAD;
    private int jwksMaxKeys = Defaults.JWKS_MAX_KEYS;
    private int jwksFetchesPerMinute = Defaults.JWKS_FETCHES_PER_MINUTE;
    private Duration jwksConnectTimeout = Defaults.JWKS_CONNECT_TIMEOUT;
    private Duration jwksReadTimeout = Defaults.JWKS_READ_TIMEOUT;
    private int jwksMaxResponseBytes = Defaults.JWKS_MAX_RESPONSE_BYTES;
    private Duration jwksOutageWindow = Defaults.JWKS_OUTAGE_WINDOW;
    private Duration jwksBackgroundCheck = Defaults.JWKS_BACKGROUND_CHECK;
    private URI revocationFeed;
    private Duration revocationPollInterval = Defaults.REVOCATION_POLL_INTERVAL;
    private Duration revocationRetention = Defaults.REVOCATION_RETENTION;
    private int revocationMaxResponseBytes = Defaults.REVOCATION_MAX_RESPONSE_BYTES;
    private Duration revocationBackgroundCheck = Defaults.REVOCATION_BACKGROUND_CHECK;

    private Builder() {}

    /** Keys from a JWK Set URL (cached, refreshed ahead, rate-limited, outage-tolerant). */
    public Builder jwksUrl(URI url) {
      this.jwksUrl = Objects.requireNonNull(url);
      return this;
    }

    /** Keys from a PEM file: PUBLIC KEY or CERTIFICATE blocks (RSA or EC). */
    public Builder publicKeyPem(Path file) {
      this.pemFile = Objects.requireNonNull(file);
      return this;
    }

    /** Keys from PEM text: PUBLIC KEY or CERTIFICATE blocks (RSA or EC). */
    public Builder publicKeyPem(String pem) {
      this.pemText = Objects.requireNonNull(pem);
      return this;
    }

    /** A fixed JWK Set (public parts only are kept; symmetric keys are refused). */
    public Builder jwkSet(JWKSet set) {
      this.jwkSet = Objects.requireNonNull(set);
      return this;
    }

    /**
     * HS256/384/512 with a shared secret of at least 256 bits; exclusive of every public-key
     * source. Default algorithm then: HS256.
     */
    public Builder hmacSecret(byte[] secret) {
      this.hmacSecret = Objects.requireNonNull(secret).clone();
      return this;
    }

    /** Required: the exact {@code iss} value. */
    public Builder issuer(String issuer) {
      this.issuer = Objects.requireNonNull(issuer);
      return this;
    }

    /** Required: {@code aud} must contain this value (or one of these values). */
    public Builder audience(String... audiences) {
      this.audiences.addAll(Arrays.asList(audiences));
      return this;
    }

    /** The allow-list of algorithms (default RS256; HS256 for an HMAC secret). */
    public Builder algorithms(Set<JWSAlgorithm> algorithms) {
      this.algorithms = Set.copyOf(algorithms);
      return this;
    }

    /** Allowed {@code typ} values, case-insensitive, {@code application/} optional. */
    public Builder allowedTypes(Set<String> types) {
      this.types = Set.copyOf(types);
      return this;
    }

    public Builder allowedTypes(String... types) {
      return allowedTypes(Set.of(types));
    }

    public Builder clockSkew(Duration skew) {
      if (skew.isNegative()) {
        throw new IllegalArgumentException("clock skew must be >= 0");
      }
      this.clockSkew = skew;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** Called after the signature and claims are valid; true rejects with {@code revoked}. */
    public Builder isRevoked(Predicate<VerifiedToken> isRevoked) {
      this.isRevoked = isRevoked;
      return this;
    }

    /** Verified-token cache size; 0 turns the cache off. */
    public Builder verifiedTokenCache(int maxEntries) {
      if (maxEntries < 0) {
        throw new IllegalArgumentException("cache size must be >= 0");
      }
      this.cacheSize = maxEntries;
      return this;
    }

    public Builder verifiedTokenCache(boolean enabled) {
      return verifiedTokenCache(enabled ? Defaults.VERIFIED_TOKEN_CACHE_SIZE : 0);
    }

    /** Claims required besides exp and sub (iss and aud are required by their checks). */
    public Builder requiredClaims(String... names) {
      this.requiredClaims.addAll(Arrays.asList(names));
      return this;
    }

    public Builder maxTokenLength(int chars) {
      this.maxTokenLength = chars;
      return this;
    }

    public Builder maxJsonDepth(int depth) {
      this.maxJsonDepth = depth;
      return this;
    }

    public Builder jwksCacheTtl(Duration ttl) {
      this.jwksCacheTtl = ttl;
      return this;
    }

    public Builder jwksRefreshAhead(Duration ahead) {
      this.jwksRefreshAhead = ahead;
      return this;
    }

    public Builder jwksMaxKeys(int max) {
      this.jwksMaxKeys = max;
      return this;
    }

    public Builder jwksFetchesPerMinute(int perMinute) {
      this.jwksFetchesPerMinute = perMinute;
      return this;
    }

    public Builder jwksConnectTimeout(Duration timeout) {
      this.jwksConnectTimeout = timeout;
      return this;
    }

    public Builder jwksReadTimeout(Duration timeout) {
      this.jwksReadTimeout = timeout;
      return this;
    }

    public Builder jwksMaxResponseBytes(int bytes) {
      this.jwksMaxResponseBytes = bytes;
      return this;
    }

    public Builder jwksOutageWindow(Duration window) {
      this.jwksOutageWindow = window;
      return this;
    }

    /** Wall-clock period of the background "is a refresh due" check. */
    public Builder jwksBackgroundCheck(Duration period) {
      this.jwksBackgroundCheck = period;
      return this;
    }

    /**
     * Polls the auth server's revocation feed ({@code {issuer}/api/revocations}) in the background
     * and rejects tokens whose {@code sid} it lists, with reason {@code revoked}, alongside any
     * {@link #isRevoked} hook. Uses the JWKS connect and read timeouts.
     */
    public Builder revocationFeed(URI url) {
      this.revocationFeed = Objects.requireNonNull(url);
      return this;
    }

    public Builder revocationPollInterval(Duration interval) {
      this.revocationPollInterval = interval;
      return this;
    }

    /** How long a revoked sid is held after its revocation (default session length + skew). */
    public Builder revocationRetention(Duration retention) {
      this.revocationRetention = retention;
      return this;
    }

    public Builder revocationMaxResponseBytes(int bytes) {
      this.revocationMaxResponseBytes = bytes;
      return this;
    }

    /** Wall-clock upper bound between two "is a poll due" checks of the poller thread. */
    public Builder revocationBackgroundCheck(Duration period) {
      this.revocationBackgroundCheck = period;
      return this;
    }

    RevocationSettings revocationSettings() {
      return new RevocationSettings(
          revocationFeed,
          revocationPollInterval,
          revocationRetention,
          Defaults.REVOCATION_SINCE_OVERLAP,
          jwksConnectTimeout,
          jwksReadTimeout,
          revocationMaxResponseBytes,
          maxJsonDepth,
          revocationBackgroundCheck,
          clock);
    }

    /**
     * Builds the verifier. Refuses at start-up: no or several key sources, a missing issuer or
     * audience, HMAC algorithms with a public-key source (or the reverse), a short secret.
     */
    public JwtVerifier build() {
      int sources =
          (jwksUrl != null ? 1 : 0)
              + (jwkSet != null ? 1 : 0)
              + (pemFile != null ? 1 : 0)
              + (pemText != null ? 1 : 0)
              + (hmacSecret != null ? 1 : 0);
      if (sources != 1) {
        throw new IllegalStateException(
            "configure exactly one key source: jwksUrl, publicKeyPem, jwkSet or hmacSecret");
      }
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
      if (revocationFeed != null) {
        try {
          revocationSettings(); // validates before any thread starts
        } catch (IllegalArgumentException | NullPointerException e) {
          throw new IllegalStateException("revocation feed: " + e.getMessage());
        }
      }
      if (hmacSecret != null) {
        if (algorithms == null) {
          algorithms = Set.of(JWSAlgorithm.HS256);
        }
        if (algorithms.isEmpty() || !HMAC.containsAll(algorithms)) {
          throw new IllegalStateException("an HMAC secret allows only HS256, HS384, HS512");
        }
        if (hmacSecret.length < Defaults.MIN_HMAC_SECRET_BYTES) {
          throw new IllegalStateException("HMAC secret must be at least 256 bits");
        }
        for (JWSAlgorithm alg : algorithms) {
          int needed = Integer.parseInt(alg.getName().substring(2)) / 8;
          if (hmacSecret.length < needed) {
            throw new IllegalStateException(
                alg + " needs a secret of at least " + needed + " bytes");
          }
        }
        JWKSource<SecurityContext> source =
            new com.nimbusds.jose.jwk.source.ImmutableSecret<>(hmacSecret);
        return new JwtVerifier(this, source, null, 1);
      }
      if (algorithms == null) {
        algorithms = Defaults.ALGORITHMS;
      }
      if (algorithms.isEmpty() || !PUBLIC_KEY.containsAll(algorithms)) {
        throw new IllegalStateException(
            "a public-key source allows only RSA, ECDSA and EdDSA algorithms, got " + algorithms);
      }
      if (jwksUrl != null) {
        JwksKeySource jwks =
            new JwksKeySource(
                new JwksSettings(
                    jwksUrl,
                    jwksCacheTtl,
                    jwksRefreshAhead,
                    jwksMaxKeys,
                    jwksFetchesPerMinute,
                    jwksConnectTimeout,
                    jwksReadTimeout,
                    jwksMaxResponseBytes,
                    jwksOutageWindow,
                    maxJsonDepth,
                    jwksBackgroundCheck,
                    clock));
        return new JwtVerifier(this, jwks, jwks, 0);
      }
      JWKSet set;
      try {
        set =
            jwkSet != null
                ? jwkSet
                : pemFile != null ? PemKeys.read(pemFile) : PemKeys.parse(pemText);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read public key PEM", e);
      }
      StaticKeySource source = new StaticKeySource(set);
      return new JwtVerifier(this, source, null, source.size());
    }
  }
}
