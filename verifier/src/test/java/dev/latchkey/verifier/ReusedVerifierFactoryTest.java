package dev.latchkey.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import dev.latchkey.verifier.testing.Keys;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;

/**
 * Verifiers are reused per (key, algorithm), and still made by Nimbus's factory with its checks.
 */
class ReusedVerifierFactoryTest {
  private final ReusedVerifierFactory factory = new ReusedVerifierFactory();

  @Test
  void theSameKeyAndAlgorithmGetTheSameVerifier() throws Exception {
    PublicKey k1 = Keys.rsa("k1").toRSAPublicKey();
    PublicKey k2 = Keys.rsa("k2").toRSAPublicKey();
    JWSHeader rs256 = new JWSHeader(JWSAlgorithm.RS256);
    JWSHeader ps256 = new JWSHeader(JWSAlgorithm.PS256);

    JWSVerifier v = factory.createJWSVerifier(rs256, k1);

    assertThat(factory.createJWSVerifier(rs256, k1)).isSameAs(v);
    assertThat(factory.createJWSVerifier(ps256, k1)).isNotSameAs(v);
    assertThat(factory.createJWSVerifier(rs256, k2)).isNotSameAs(v);
  }

  @Test
  void aKeyOfTheWrongTypeForTheAlgorithmIsStillRefused() throws Exception {
    RSAKey rsa = Keys.rsa("k1");
    PublicKey ec = Keys.ec("e1").toECPublicKey();
    factory.createJWSVerifier(new JWSHeader(JWSAlgorithm.RS256), rsa.toRSAPublicKey());

    assertThatThrownBy(() -> factory.createJWSVerifier(new JWSHeader(JWSAlgorithm.RS256), ec))
        .isInstanceOf(JOSEException.class);
    assertThatThrownBy(
            () ->
                factory.createJWSVerifier(new JWSHeader(JWSAlgorithm.ES256), rsa.toRSAPublicKey()))
        .isInstanceOf(JOSEException.class);
  }
}
