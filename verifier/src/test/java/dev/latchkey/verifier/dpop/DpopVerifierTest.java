package dev.latchkey.verifier.dpop;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.latchkey.testing.MutableClock;
import dev.latchkey.testing.MutableTicker;
import dev.latchkey.verifier.JwtVerifier;
import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.TokenRejectedException;
import dev.latchkey.verifier.testing.Keys;
import dev.latchkey.verifier.testing.Proofs;
import dev.latchkey.verifier.testing.Tokens;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DPoP rules that need their own verifier settings (required DPoP, nonces, a small replay
 * cache), the replay promise across two application-server instances, and the proof checker on its
 * own as the auth server will reuse it.
 */
class DpopVerifierTest {
  private static final URI URL = URI.create("https://lessons.example.com/api/lessons");
  private final MutableClock clock = MutableClock.standard();
  private final MutableTicker ticker = new MutableTicker();
  private final RSAKey issuer = Keys.rsa("k1");
  private final ECKey client = Proofs.clientKey("alice");

  private JwtVerifier verifier(DpopProofChecker checker, boolean requireDpop) {
    var b =
        JwtVerifier.withJwkSet(new JWKSet(issuer.toPublicJWK()))
            .issuer(Tokens.ISSUER)
            .audience(Tokens.AUDIENCE)
            .clock(clock)
            .ticker(ticker)
            .dpop(checker);
    if (requireDpop) {
      b.requireDpop();
    }
    return b.build();
  }

  private DpopProofChecker.Builder checker() {
    return DpopProofChecker.builder().clock(clock).ticker(ticker);
  }

  private static RejectionReason reasonOf(Runnable r) {
    try {
      r.run();
      return null;
    } catch (TokenRejectedException e) {
      return e.reason();
    }
  }

  private DpopRequest request(String proof) {
    return DpopRequest.of(proof, "GET", URL);
  }

  @Test
  void requireDpopRefusesBearerTokensBoundOrNot() {
    try (JwtVerifier v = verifier(checker().build(), true)) {
      String unbound = Tokens.rs256(issuer, clock);
      String bound = Proofs.boundToken(issuer, clock, client);

      assertThat(reasonOf(() -> v.verify(unbound))).isEqualTo(RejectionReason.DPOP_REQUIRED);
      assertThat(reasonOf(() -> v.verify(bound))).isEqualTo(RejectionReason.DPOP_REQUIRED);
      assertThat(
              v.verifyDpop(bound, request(Proofs.proof(client, "GET", URL, bound, clock)))
                  .subject())
          .isEqualTo("user-42");
    }
  }

  /** What ends a session at logout: an expired token still names it, its binding still holds. */
  @Test
  void verifyPresentedIgnoringExpiryChecksTheBindingOfAnExpiredToken() {
    try (JwtVerifier v = verifier(checker().build(), false)) {
      String bound = Proofs.boundToken(issuer, clock, client);
      String unbound = Tokens.rs256(issuer, clock);
      clock.advance(Duration.ofHours(2));
      String spent = Proofs.proof(client, "GET", URL, bound, clock);

      assertThat(reasonOf(() -> v.verifyDpop(bound, request(spent))))
          .isEqualTo(RejectionReason.EXPIRED);
      assertThat(v.verifyPresentedIgnoringExpiry(bound, request(spent)).subject())
          .isEqualTo("user-42");
      assertThat(reasonOf(() -> v.verifyPresentedIgnoringExpiry(bound, request(spent))))
          .isEqualTo(RejectionReason.DPOP_PROOF_REPLAYED);
      assertThat(reasonOf(() -> v.verifyPresentedIgnoringExpiry(bound, null)))
          .isEqualTo(RejectionReason.DPOP_REQUIRED);
      assertThat(reasonOf(() -> v.verifyPresentedIgnoringExpiry(bound, request(null))))
          .isEqualTo(RejectionReason.DPOP_PROOF_MISSING);
      ECKey mallory = Proofs.clientKey("mallory");
      assertThat(
              reasonOf(
                  () ->
                      v.verifyPresentedIgnoringExpiry(
                          bound, request(Proofs.proof(mallory, "GET", URL, bound, clock)))))
          .isEqualTo(RejectionReason.DPOP_PROOF_WRONG_KEY);
      assertThat(v.verifyPresentedIgnoringExpiry(unbound, null).subject()).isEqualTo("user-42");
      assertThat(
              reasonOf(
                  () ->
                      v.verifyPresentedIgnoringExpiry(
                          unbound, request(Proofs.proof(client, "GET", URL, unbound, clock)))))
          .isEqualTo(RejectionReason.DPOP_TOKEN_NOT_BOUND);
      assertThat(reasonOf(() -> v.verifyPresentedIgnoringExpiry("x.y.z", null)))
          .isEqualTo(RejectionReason.MALFORMED);
    }
  }

  @Test
  void withNoncesAProofNeedsTheCurrentOneAndInstancesSharingTheSecretAgree() {
    byte[] secret = new byte[32];
    DpopNonces a = DpopNonces.withSecret(secret, Duration.ofMinutes(5), clock);
    DpopNonces b = DpopNonces.withSecret(secret, Duration.ofMinutes(5), clock);
    try (JwtVerifier v = verifier(checker().nonces(a).build(), false)) {
      String bound = Proofs.boundToken(issuer, clock, client);

      assertThat(
              reasonOf(
                  () ->
                      v.verifyDpop(bound, request(Proofs.proof(client, "GET", URL, bound, clock)))))
          .isEqualTo(RejectionReason.DPOP_NONCE_REQUIRED);
      String old = a.current();
      assertThat(
              reasonOf(
                  () ->
                      v.verifyDpop(
                          bound,
                          request(
                              Proofs.proof(
                                  client, "GET", URL, bound, clock.instant(), b.current())))))
          .isNull();
      clock.advance(Duration.ofMinutes(5));
      assertThat(a.accepts(old)).as("the previous period's nonce").isTrue();
      clock.advance(Duration.ofMinutes(5));
      assertThat(a.accepts(old)).isFalse();
      assertThat(v.dpop().currentNonce()).hasValue(b.current());
    }
  }

  /**
   * The promise: a proof is accepted once per instance within its window (2 × 60 s); another
   * instance, with its own in-memory cache, does not see it, so a proof replayed to another
   * instance within the window is accepted there (same method, URL and token only). After the
   * window, every instance refuses it as stale.
   */
  @Test
  void aReplayIsRefusedByTheSameInstanceOnlyAndEveryInstanceRefusesItAfterTheWindow() {
    try (JwtVerifier first = verifier(checker().build(), false);
        JwtVerifier second = verifier(checker().build(), false)) {
      String bound = Proofs.boundToken(issuer, clock, client);
      String proof = Proofs.proof(client, "GET", URL, bound, clock);

      assertThat(reasonOf(() -> first.verifyDpop(bound, request(proof)))).isNull();
      assertThat(reasonOf(() -> first.verifyDpop(bound, request(proof))))
          .isEqualTo(RejectionReason.DPOP_PROOF_REPLAYED);
      assertThat(reasonOf(() -> second.verifyDpop(bound, request(proof))))
          .as("another instance's cache does not hold it")
          .isNull();
      clock.advance(Duration.ofSeconds(61));
      ticker.advance(Duration.ofSeconds(61));
      assertThat(reasonOf(() -> first.verifyDpop(bound, request(proof))))
          .isEqualTo(RejectionReason.DPOP_PROOF_STALE);
      assertThat(reasonOf(() -> second.verifyDpop(bound, request(proof))))
          .isEqualTo(RejectionReason.DPOP_PROOF_STALE);
    }
  }

  @Test
  void aFullReplayCacheRefusesNewProofsUntilEntriesExpire() {
    try (JwtVerifier v = verifier(checker().replayCacheSize(2).build(), false)) {
      String bound = Proofs.boundToken(issuer, clock, client);
      for (int i = 0; i < 2; i++) {
        v.verifyDpop(bound, request(Proofs.proof(client, "GET", URL, bound, clock)));
      }

      assertThat(
              reasonOf(
                  () ->
                      v.verifyDpop(bound, request(Proofs.proof(client, "GET", URL, bound, clock)))))
          .isEqualTo(RejectionReason.DPOP_REPLAY_CACHE_FULL);
      assertThat(RejectionReason.DPOP_REPLAY_CACHE_FULL.httpStatus()).isEqualTo(503);
      ticker.advance(Duration.ofSeconds(121));
      assertThat(
              reasonOf(
                  () ->
                      v.verifyDpop(bound, request(Proofs.proof(client, "GET", URL, bound, clock)))))
          .isNull();
    }
  }

  @Test
  void theCheckerAloneChecksATokenRequestsProofAndGivesTheThumbprint() {
    DpopProofChecker c = checker().build();
    URI token = URI.create("https://auth.example.com/api/login");
    String proof = Proofs.proof(client, "POST", token, null, clock);

    DpopProof accepted = c.check(DpopRequest.of(proof, "POST", token), null, null);

    assertThat(accepted.thumbprint()).isEqualTo(Proofs.thumbprint(client));
    assertThat(reasonOf(() -> c.check(DpopRequest.of(proof, "POST", token), null, null)))
        .isEqualTo(RejectionReason.DPOP_PROOF_REPLAYED);
  }

  @Test
  void hostileProofsAreRefusedWithTheirReason() {
    DpopProofChecker c = checker().build();
    String good = Proofs.proof(client, "GET", URL, null, clock);
    String[] parts = good.split("\\.");
    String header =
        "{\"typ\":\"dpop+jwt\",\"alg\":\"HS256\",\"jwk\":"
            + client.toPublicJWK().toJSONString()
            + "}";
    String payload = new String(com.nimbusds.jose.util.Base64URL.from(parts[1]).decode());
    String hmac;
    String none = Tokens.b64("{\"typ\":\"dpop+jwt\",\"alg\":\"none\"}") + "." + parts[1] + ".";
    String withPrivateKey;
    try {
      hmac =
          Tokens.signRaw(
              header, payload, new MACSigner(new byte[32]), new JWSHeader(JWSAlgorithm.HS256));
      withPrivateKey =
          Tokens.signRaw(
              "{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" + client.toJSONString() + "}",
              payload,
              new com.nimbusds.jose.crypto.ECDSASigner(client),
              new JWSHeader(JWSAlgorithm.ES256));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    String badSignature =
        parts[0]
            + "."
            + parts[1]
            + "."
            + Proofs.proof(client, "GET", URL, null, clock).split("\\.")[2];
    String wrongTyp =
        Tokens.sign(
            client,
            new JWSHeader.Builder(JWSAlgorithm.ES256).jwk(client.toPublicJWK()).build(),
            parse(payload));

    assertThat(reasonOf(() -> c.check(request(hmac), null, null)))
        .isEqualTo(RejectionReason.DPOP_PROOF_DISALLOWED_ALGORITHM);
    assertThat(reasonOf(() -> c.check(request(none), null, null)))
        .isEqualTo(RejectionReason.DPOP_PROOF_DISALLOWED_ALGORITHM);
    assertThat(reasonOf(() -> c.check(request(withPrivateKey), null, null)))
        .isEqualTo(RejectionReason.DPOP_PROOF_MALFORMED);
    assertThat(reasonOf(() -> c.check(request(wrongTyp), null, null)))
        .isEqualTo(RejectionReason.DPOP_PROOF_MALFORMED);
    assertThat(reasonOf(() -> c.check(request(badSignature), null, null)))
        .isEqualTo(RejectionReason.DPOP_PROOF_BAD_SIGNATURE);
    assertThat(reasonOf(() -> c.check(new DpopRequest(List.of(), "GET", URL), null, null)))
        .isEqualTo(RejectionReason.DPOP_PROOF_MISSING);
    assertThat(reasonOf(() -> c.check(request("a".repeat(9000)), null, null)))
        .isEqualTo(RejectionReason.DPOP_PROOF_MALFORMED);
    assertThat(reasonOf(() -> c.check(request(good), null, null))).isNull();
  }

  private static com.nimbusds.jwt.JWTClaimsSet parse(String json) {
    try {
      return com.nimbusds.jwt.JWTClaimsSet.parse(json);
    } catch (java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void onlyAsymmetricAlgorithmsCanBeAllowed() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> DpopProofChecker.builder().algorithms(JWSAlgorithm.HS256))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
