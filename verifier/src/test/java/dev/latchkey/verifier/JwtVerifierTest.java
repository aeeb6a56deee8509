package dev.latchkey.verifier;

import static dev.latchkey.verifier.testing.Reasons.reasonOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.testing.MutableClock;
import dev.latchkey.verifier.testing.Keys;
import dev.latchkey.verifier.testing.Tokens;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key sources other than JWKS, the builder's refusals, the revocation hook and the cache. */
class JwtVerifierTest {
  private final MutableClock clock = MutableClock.standard();
  private final RSAKey key = Keys.rsa("k1");

  private <B extends VerifierBuilder<B>> B base(B keySource) {
    return keySource.issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE).clock(clock);
  }

  private PublicKeyBuilder withKey() {
    return base(JwtVerifier.withJwkSet(new JWKSet(key.toPublicJWK())));
  }

  private String pem() throws Exception {
    return "-----BEGIN PUBLIC KEY-----\n"
        + java.util.Base64.getMimeEncoder().encodeToString(key.toRSAPublicKey().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  @Test
  void verifiedTokenCarriesTheClaims() {
    JwtVerifier v = withKey().build();

    VerifiedToken t = v.verify(Tokens.rs256(key, clock, c -> c.claim("roles", List.of("student"))));

    assertThat(t.subject()).isEqualTo("user-42");
    assertThat(t.issuer()).isEqualTo(Tokens.ISSUER);
    assertThat(t.audience()).containsExactly(Tokens.AUDIENCE);
    assertThat(t.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
    assertThat(t.issuedAt()).isEqualTo(clock.instant());
    assertThat(t.keyId()).isEqualTo("k1");
    assertThat(t.algorithm()).isEqualTo("RS256");
    assertThat(t.sessionId()).isEqualTo("session-7");
    assertThat(t.tokenId()).isEqualTo("jti-1");
    assertThat(t.claims()).containsEntry("sub", "user-42").containsKey("roles");
    assertThat(t.claim("roles")).isPresent();
    assertThat(t.roles()).containsExactly("student");
    assertThat(t.hasRole("student")).isTrue();
    assertThat(t.hasRole("admin")).isFalse();
    assertThat(t.toString()).doesNotContain("user-42");
  }

  @Test
  void pemFileKeyVerifiesWhateverKidTheTokenNames(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("public.pem");
    Files.writeString(file, pem(), StandardCharsets.US_ASCII);
    JwtVerifier v = base(JwtVerifier.withPublicKeyPem(file)).build();

    assertThat(v.verify(Tokens.rs256(key, clock)).subject()).isEqualTo("user-42");
    String noKid =
        Tokens.sign(
            key,
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(new com.nimbusds.jose.JOSEObjectType("at+jwt"))
                .build(),
            Tokens.claims(clock).build());
    assertThat(v.verify(noKid).keyId()).isNull();
    assertThat(reasonOf(v, Tokens.rs256(Keys.rsa("other"), clock)))
        .isEqualTo(RejectionReason.BAD_SIGNATURE);
    assertThat(v.metrics().keysHeld()).isEqualTo(1);
    assertThat(v.metrics().keysAge()).isNull();
  }

  @Test
  void pemWithAPrivateKeyIsRefused() {
    assertThatThrownBy(
            () ->
                base(JwtVerifier.withPublicKeyPem(
                        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hmacSecretSourceVerifiesHs256AndRefusesEverythingElse() throws Exception {
    byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    JwtVerifier v = base(JwtVerifier.withSecret(secret)).build();
    SignedJWT hs =
        new SignedJWT(
            Tokens.header(JWSAlgorithm.HS256, null).build(), Tokens.claims(clock).build());
    hs.sign(new MACSigner(secret));

    assertThat(v.verify(hs.serialize()).algorithm()).isEqualTo("HS256");
    assertThat(reasonOf(v, Tokens.rs256(key, clock)))
        .isEqualTo(RejectionReason.DISALLOWED_ALGORITHM);
    SignedJWT wrongSecret =
        new SignedJWT(
            Tokens.header(JWSAlgorithm.HS256, null).build(), Tokens.claims(clock).build());
    wrongSecret.sign(new MACSigner(new byte[32]));
    assertThat(reasonOf(v, wrongSecret.serialize())).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void builderRefusesUnsafeConfigurationsAtStartUp() {
    // No key source, or a secret beside public keys, cannot be written: each entry point is one.
    JWKSet publicKeys = new JWKSet(key.toPublicJWK());
    List<VerifierBuilder<?>> bad = new ArrayList<>();
    bad.add(base(JwtVerifier.withSecret(new byte[31])));
    bad.add(base(JwtVerifier.withSecret(new byte[32])).algorithms(JWSAlgorithm.HS512));
    bad.add(base(JwtVerifier.withSecret(new byte[64])).algorithms(JWSAlgorithm.RS256));
    bad.add(withKey().algorithms(JWSAlgorithm.HS256));
    bad.add(withKey().algorithms(Set.of()));
    bad.add(JwtVerifier.withJwkSet(publicKeys).audience("a")); // no issuer
    bad.add(JwtVerifier.withJwkSet(publicKeys).issuer("i")); // no audience
    bad.add(withKey().allowedTypes());
    bad.add(withKey().maxTokenLength(8));
    for (VerifierBuilder<?> b : bad) {
      assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
    }
    assertThatThrownBy(
            () ->
                base(JwtVerifier.withJwkSet(
                        new JWKSet(
                            new com.nimbusds.jose.jwk.OctetSequenceKey.Builder(new byte[32])
                                .build())))
                    .build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JwtVerifier.withJwksUrl(URI.create("file:///etc/passwd")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void isRevokedIsCalledOnlyForValidTokensAndFailsClosed() {
    List<String> seen = new ArrayList<>();
    JwtVerifier v =
        withKey()
            .isRevoked(
                t -> {
                  seen.add(t.sessionId());
                  if ("boom".equals(t.sessionId())) {
                    throw new IllegalStateException("store down");
                  }
                  return "revoked-session".equals(t.sessionId());
                })
            .build();

    assertThat(reasonOf(v, Tokens.rs256(key, clock))).isNull();
    assertThat(reasonOf(v, Tokens.rs256(key, clock, c -> c.claim("sid", "revoked-session"))))
        .isEqualTo(RejectionReason.REVOKED);
    assertThat(reasonOf(v, Tokens.rs256(Keys.rsa("attacker"), clock, c -> c.claim("sid", "x"))))
        .isEqualTo(RejectionReason.UNKNOWN_KEY);
    assertThat(reasonOf(v, Tokens.rs256(key, clock, c -> c.claim("sid", "boom"))))
        .isEqualTo(RejectionReason.REVOKED);
    assertThat(seen).containsExactly("session-7", "revoked-session", "boom");
  }

  @Test
  void cacheHitsRecheckTimeAndRevocation() {
    Set<String> revoked = new java.util.concurrent.ConcurrentSkipListSet<>();
    JwtVerifier v = withKey().isRevoked(t -> revoked.contains(t.sessionId())).build();
    String token =
        Tokens.rs256(
            key, clock, c -> c.expirationTime(Date.from(clock.instant().plusSeconds(120))));

    v.verify(token);
    v.verify(token);
    assertThat(v.metrics().cacheHits()).isEqualTo(1);

    revoked.add("session-7");
    assertThat(reasonOf(v, token)).isEqualTo(RejectionReason.REVOKED);
    revoked.clear();
    clock.advance(Duration.ofSeconds(181)); // exp + skew passed
    assertThat(reasonOf(v, token)).isEqualTo(RejectionReason.EXPIRED);
    assertThat(v.metrics().accepted()).isEqualTo(2);
  }

  @Test
  void cacheIsKeyedOnTheWholeToken() {
    JwtVerifier v = withKey().build();
    String token = Tokens.rs256(key, clock);
    v.verify(token);
    String[] p = token.split("\\.");
    String forged =
        p[0]
            + "."
            + Tokens.b64(Tokens.claims(clock).subject("admin").build().toString())
            + "."
            + p[2];

    assertThat(reasonOf(v, forged)).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void cacheCanBeTurnedOff() {
    JwtVerifier v = withKey().verifiedTokenCache(false).build();
    String token = Tokens.rs256(key, clock);

    v.verify(token);
    v.verify(token);

    assertThat(v.metrics().cacheHits()).isZero();
    assertThat(v.metrics().accepted()).isEqualTo(2);
  }

  @Test
  void foreignIssuerTypesCanBeAllowed() {
    JwtVerifier v = withKey().allowedTypes("at+jwt", "JWT").build();
    JWSHeader jwt =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID("k1")
            .type(com.nimbusds.jose.JOSEObjectType.JWT)
            .build();

    assertThat(v.verify(Tokens.sign(key, jwt, Tokens.claims(clock).build())).subject())
        .isEqualTo("user-42");
    JwtVerifier onlyJwt = withKey().allowedTypes("JWT").build();
    assertThat(onlyJwt.verify(Tokens.sign(key, jwt, Tokens.claims(clock).build())).subject())
        .isEqualTo("user-42");
    assertThat(reasonOf(onlyJwt, Tokens.rs256(key, clock))).isEqualTo(RejectionReason.WRONG_TYPE);
  }

  @Test
  void rolesAreTheStringsOfAnArrayAndNothingElse() {
    JwtVerifier v = withKey().build();

    assertThat(v.verify(Tokens.rs256(key, clock)).roles()).isEmpty();
    assertThat(v.verify(Tokens.rs256(key, clock, c -> c.claim("roles", "admin"))).roles())
        .isEmpty();
    assertThat(
            v.verify(Tokens.rs256(key, clock, c -> c.claim("roles", List.of("a", 7, "", "b", "a"))))
                .roles())
        .containsExactly("a", "b");
  }

  @Test
  void aSuppliedKeySetIsReadOnEveryVerificationAndARemovedKeyStopsAtOnce() {
    RSAKey next = Keys.rsa("k2");
    java.util.concurrent.atomic.AtomicReference<JWKSet> published =
        new java.util.concurrent.atomic.AtomicReference<>(
            new JWKSet(List.of(key.toPublicJWK(), next.toPublicJWK())));
    JwtVerifier v = base(JwtVerifier.withJwkSetSupplier(published::get)).build();
    String byK1 = Tokens.rs256(key, clock);
    v.verify(byK1);
    v.verify(byK1);
    assertThat(v.metrics().cacheHits()).isEqualTo(1);
    assertThat(v.metrics().keysHeld()).isEqualTo(2);

    published.set(new JWKSet(next.toPublicJWK())); // k1 revoked by the application
    assertThat(v.verify(Tokens.rs256(next, clock)).keyId()).isEqualTo("k2");

    assertThat(reasonOf(v, byK1)).isEqualTo(RejectionReason.UNKNOWN_KEY);
    assertThat(v.metrics().keysHeld()).isEqualTo(1);
    published.set(null); // a failing supplier: the token was not judged
    assertThat(reasonOf(v, Tokens.rs256(next, clock))).isEqualTo(RejectionReason.KEYS_UNAVAILABLE);
  }

  @Test
  void verifyIgnoringExpiryRecognisesAnExpiredTokenAndNothingElse() {
    JwtVerifier v = withKey().build();
    String expired =
        Tokens.rs256(
            key, clock, c -> c.expirationTime(Date.from(clock.instant().minusSeconds(3600))));

    assertThat(reasonOf(v, expired)).isEqualTo(RejectionReason.EXPIRED);
    assertThat(v.verifyIgnoringExpiry(expired).sessionId()).isEqualTo("session-7");
    assertThatThrownBy(
            () -> v.verifyIgnoringExpiry(Tokens.rs256(key, clock, c -> c.issuer("http://evil"))))
        .isInstanceOf(TokenRejectedException.class);
    assertThatThrownBy(() -> v.verifyIgnoringExpiry(Tokens.rs256(Keys.rsa("other"), clock)))
        .isInstanceOf(TokenRejectedException.class);
    assertThatThrownBy(() -> v.verifyIgnoringExpiry("x"))
        .isInstanceOf(TokenRejectedException.class);
  }

  @Test
  void reasonCodesAreStable() {
    assertThat(RejectionReason.values())
        .extracting(RejectionReason::code)
        .containsExactly(
            "malformed",
            "bad_signature",
            "unknown_key",
            "disallowed_algorithm",
            "wrong_type",
            "expired",
            "not_yet_valid",
            "wrong_issuer",
            "wrong_audience",
            "missing_claim",
            "revoked",
            "keys_unavailable",
            "key_refetch_limited",
            "dpop_required",
            "dpop_token_not_bound",
            "dpop_proof_missing",
            "dpop_proof_malformed",
            "dpop_proof_disallowed_algorithm",
            "dpop_proof_bad_signature",
            "dpop_proof_wrong_method",
            "dpop_proof_wrong_url",
            "dpop_proof_stale",
            "dpop_proof_replayed",
            "dpop_proof_wrong_token",
            "dpop_proof_wrong_key",
            "use_dpop_nonce",
            "dpop_replay_cache_full");
    assertThat(RejectionReason.fromCode("expired")).isEqualTo(RejectionReason.EXPIRED);
  }
}
