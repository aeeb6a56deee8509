package dev.latchkey.verifier;

import static dev.latchkey.verifier.testing.Reasons.reasonOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.testing.MutableClock;
import dev.latchkey.verifier.testing.Keys;
import dev.latchkey.verifier.testing.Tokens;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The verified-token cache on its own, and what the verifier may (never) serve from it. */
class VerifiedTokenCacheTest {
  private final MutableClock clock = MutableClock.startingNow();

  private VerifiedTokenCache cache(int maxEntries) {
    return new VerifiedTokenCache(maxEntries, clock, clock::nanoTime);
  }

  private VerifiedToken expiringIn(Duration d) {
    return VerifiedToken.of(
        new JWTClaimsSet.Builder()
            .subject("user-42")
            .expirationTime(Date.from(clock.instant().plus(d)))
            .build(),
        "k1",
        "RS256");
  }

  @Test
  void staysWithinItsBoundUnderAFloodOfDistinctTokens() {
    VerifiedTokenCache c = cache(64);
    VerifiedToken t = expiringIn(Duration.ofHours(1));
    for (int i = 0; i < 5_000; i++) {
      c.put(c.keyOf("token-" + i), t, c.generation());
    }

    assertThat(c.size()).isLessThanOrEqualTo(64);
  }

  @Test
  void tokensThatKeepComingBackSurviveAFloodOfTokensSeenOnce() {
    VerifiedTokenCache c = cache(64);
    VerifiedToken t = expiringIn(Duration.ofHours(1));
    int reads = 0;
    int misses = 0;
    // Between two visits of the 8 regular tokens come 100 new ones, more than the cache holds: an
    // LRU cache would miss on every visit. W-TinyLFU admits a newcomer only over a less frequent
    // victim; it adapts (and its sketch ages), so a few misses are allowed.
    for (int i = 0; i < 5_000; i++) {
      c.put(c.keyOf("once-" + i), t, c.generation());
      if (i % 100 == 0) {
        for (int r = 0; r < 8; r++) {
          Object regular = c.keyOf("regular-" + r);
          reads++;
          if (c.get(regular) == null) {
            misses++;
            c.put(regular, t, c.generation());
          }
        }
      }
    }

    assertThat(misses).isLessThan(reads / 4);
  }

  @Test
  void anEntryExpiresAtItsTokensExp() {
    VerifiedTokenCache c = cache(16);
    Object key = c.keyOf("token");
    VerifiedToken t = expiringIn(Duration.ofSeconds(120));
    c.put(key, t, c.generation());

    clock.advance(Duration.ofSeconds(119));
    assertThat(c.get(key)).isSameAs(t);
    clock.advance(Duration.ofSeconds(2));
    assertThat(c.get(key)).isNull();
    assertThat(c.size()).isZero();
  }

  @Test
  void anExpiredTokenIsNotStored() {
    VerifiedTokenCache c = cache(16);
    Object key = c.keyOf("token");
    c.put(key, expiringIn(Duration.ofSeconds(-1)), c.generation());

    assertThat(c.get(key)).isNull();
    assertThat(c.size()).isZero();
  }

  @Test
  void aClearWinsOverAVerificationThatWasUnderWayWhenItRan() {
    VerifiedTokenCache c = cache(16);
    Object key = c.keyOf("token");
    long before = c.generation(); // verification starts with a key ...
    c.clear(); // ... that is removed before its result is cached
    c.put(key, expiringIn(Duration.ofHours(1)), before);

    assertThat(c.get(key)).isNull();
    c.put(key, expiringIn(Duration.ofHours(1)), c.generation());
    assertThat(c.get(key)).isNotNull();
  }

  @Test
  void keysAreTheDigestOfTheWholeToken() {
    VerifiedTokenCache c = cache(16);

    assertThat(c.keyOf("a.b.c")).isEqualTo(c.keyOf("a.b.c")).isNotEqualTo(c.keyOf("a.b.d"));
    assertThat(c.keyOf("a.b.c").toString()).doesNotContain("a.b.c");
  }

  @Test
  void aCacheOfSizeZeroHoldsNothing() {
    VerifiedTokenCache c = cache(0);
    Object key = c.keyOf("token");
    c.put(key, expiringIn(Duration.ofHours(1)), c.generation());
    c.clear();

    assertThat(key).isNull();
    assertThat(c.get(key)).isNull();
    assertThat(c.size()).isZero();
  }

  // What the verifier serves from the cache

  private final RSAKey k1 = Keys.rsa("k1");

  private JwtVerifier withCacheOf8() {
    return JwtVerifier.withJwkSet(new JWKSet(k1.toPublicJWK()))
        .issuer(Tokens.ISSUER)
        .audience(Tokens.AUDIENCE)
        .clock(clock)
        .ticker(clock::nanoTime)
        .verifiedTokenCache(8)
        .build();
  }

  @Test
  void underChurnEveryTokenStillGetsItsOwnResult() {
    JwtVerifier v = withCacheOf8();
    List<String> tokens = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String sid = "other-" + i;
      tokens.add(Tokens.rs256(k1, clock, c -> c.claim("sid", sid)));
    }
    for (int pass = 0; pass < 3; pass++) {
      for (int i = 0; i < tokens.size(); i++) {
        assertThat(v.verify(tokens.get(i)).sessionId()).isEqualTo("other-" + i);
      }
    }

    assertThat(v.metrics().accepted()).isEqualTo(120);
    assertThat(v.metrics().cacheHits()).isBetween(0L, 80L);
  }

  @Test
  void onceFullANewTokenEntersAtItsSecondVerificationNotItsFirst() {
    JwtVerifier v = withCacheOf8();
    for (int i = 0; i < 8; i++) {
      String sid = "filler-" + i;
      v.verify(Tokens.rs256(k1, clock, c -> c.claim("sid", sid)));
    }
    String newcomer = Tokens.rs256(k1, clock, c -> c.claim("sid", "newcomer"));

    v.verify(newcomer); // first miss: remembered, not cached
    v.verify(newcomer); // second miss: cached
    assertThat(v.metrics().cacheHits()).isZero();
    assertThat(v.verify(newcomer).sessionId()).isEqualTo("newcomer");
    assertThat(v.metrics().cacheHits()).isEqualTo(1);
  }

  @Test
  void aCachedTokenIsRefusedOnceItsKeyIsRemovedAndAcceptedWhenTheKeyIsBack() {
    RSAKey k2 = Keys.rsa("k2");
    AtomicReference<JWKSet> published =
        new AtomicReference<>(new JWKSet(List.of(k1.toPublicJWK(), k2.toPublicJWK())));
    JwtVerifier v =
        JwtVerifier.withJwkSetSupplier(published::get)
            .issuer(Tokens.ISSUER)
            .audience(Tokens.AUDIENCE)
            .clock(clock)
            .build();
    String byK1 = Tokens.rs256(k1, clock);
    v.verify(byK1);
    v.verify(byK1);
    assertThat(v.metrics().cacheHits()).isEqualTo(1);

    published.set(new JWKSet(k2.toPublicJWK()));
    assertThat(reasonOf(v, byK1)).isEqualTo(RejectionReason.UNKNOWN_KEY);
    assertThat(reasonOf(v, byK1)).isEqualTo(RejectionReason.UNKNOWN_KEY);
    assertThat(v.metrics().cacheHits()).isEqualTo(1);

    published.set(new JWKSet(List.of(k1.toPublicJWK(), k2.toPublicJWK())));
    assertThat(reasonOf(v, byK1)).isNull();
    assertThat(v.metrics().cacheHits()).isEqualTo(1); // verified in full, then cached again
    assertThat(reasonOf(v, byK1)).isNull();
    assertThat(v.metrics().cacheHits()).isEqualTo(2);
  }

  @Test
  void aCachedTokenPastItsExpIsRefusedAsExpiredWhateverTheTicker() {
    JwtVerifier v =
        JwtVerifier.withJwkSet(new JWKSet(k1.toPublicJWK()))
            .issuer(Tokens.ISSUER)
            .audience(Tokens.AUDIENCE)
            .clock(clock) // the ticker stays System::nanoTime: the entry outlives exp in the cache
            .build();
    String token =
        Tokens.rs256(k1, clock, c -> c.expirationTime(Date.from(clock.instant().plusSeconds(60))));
    v.verify(token);
    v.verify(token);
    assertThat(v.metrics().cacheHits()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(121)); // exp + 60 s skew passed
    assertThat(reasonOf(v, token)).isEqualTo(RejectionReason.EXPIRED);
  }
}
