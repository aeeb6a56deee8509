package dev.latchkey.bench.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import dev.latchkey.server.sessions.SessionTokens;
import dev.latchkey.server.tokens.IssuedToken;
import dev.latchkey.verifier.JwtVerifier;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The issuance benchmarks measure real work only if what they make verifies. */
class IssuerFixtureTest {
  @Test
  void everyIssuanceBenchmarkMakesAValidSignatureOrToken() throws Exception {
    IssueBenchmark b = new IssueBenchmark();
    b.setUp();
    IssuerFixture f = b.fixture();
    try (JwtVerifier verifier =
        JwtVerifier.withJwkSet(f.store.keys().publicJwkSet())
            .issuer(IssuerFixture.ISSUER)
            .audience(IssuerFixture.AUDIENCE)
            .verifiedTokenCache(false)
            .build()) {
      // Raw JCA and our signer sign the same bytes with the same key; RSA PKCS#1 v1.5 is
      // deterministic, so both must give the sample token's own signature.
      String token = f.sample.token();
      String tokenSignature = token.substring(token.lastIndexOf('.') + 1);
      byte[] raw = b.rawJcaSign();
      assertThat(Base64.getUrlEncoder().withoutPadding().encodeToString(raw))
          .isEqualTo(tokenSignature);
      assertThat(b.issuerSigner().toString()).isEqualTo(tokenSignature);
      Signature check = Signature.getInstance("SHA256withRSA");
      RSAKey published = f.store.keys().publicJwkSet().getKeys().get(0).toRSAKey();
      check.initVerify(published.toPublicKey());
      check.update(f.signingInput);
      assertThat(check.verify(raw)).isTrue();
      assertThat(verifier.verify(token).subject()).isEqualTo(f.userId);

      IssuedToken issued = b.tokenIssuerIssue();
      assertThat(verifier.verify(issued.token()).subject()).isEqualTo(f.userId);
      SessionTokens login = b.loginMinusHash();
      assertThat(verifier.verify(login.access().token()).subject()).isEqualTo(f.userId);
      assertThat(f.store.sessions().find(login.sid())).isPresent();
      assertThat(login.sid()).isNotEqualTo(issued.sid());
      assertThat(b.throttleReserveAndSucceed().places()).isNotEmpty();
      assertThat(b.activeKeyLookup().kid()).isEqualTo(f.activeKey.kid());
      assertThat(b.userLookup().id()).isEqualTo(f.userId);
    } finally {
      b.tearDown();
    }
  }

  @Test
  void thePairedBenchmarksRunBothSides() throws Exception {
    IssuePairedBenchmark b = new IssuePairedBenchmark();
    b.setUp();
    try {
      assertThat(b.signerOurs().decode()).isEqualTo(b.signerRaw());
      assertThat(b.issueRaw()).isEqualTo(b.loginRaw());
      assertThat(b.issueOurs().token()).isNotEqualTo(b.loginOurs().access().token());
    } finally {
      b.tearDown();
    }
  }

  @Test
  void theCpuTimeRunTimesEveryOperation() throws Exception {
    var rows = IssueCpuTime.run(1, 2, 0);
    assertThat(rows)
        .extracting(IssueCpuTime.Row::name)
        .containsExactly(
            "rawJcaSign",
            "issuerSigner",
            "tokenIssuerIssue",
            "loginMinusHash",
            "activeKeyLookup",
            "throttleReserveAndSucceed",
            "userLookup");
    assertThat(rows).allSatisfy(r -> assertThat(r.cpuMicros()).isPositive());
  }

  @Test
  void theArgon2BenchmarkChecksTheRightPassword() {
    PasswordHashBenchmark b = new PasswordHashBenchmark();
    b.params = "64,1,1"; // cheap here; the benchmark's default is OWASP's m=19456,t=2,p=1
    b.setUp();
    assertThat(b.argon2idVerify()).isTrue();
  }
}
