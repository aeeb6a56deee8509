package dev.latchkey.verifier;

import com.nimbusds.jose.JWSAlgorithm;
import java.util.LinkedHashSet;
import java.util.Set;

/** Which algorithms each kind of key can verify. */
final class Algorithms {
  private static final Set<JWSAlgorithm> PUBLIC_KEY;

  static {
    Set<JWSAlgorithm> pk = new LinkedHashSet<>();
    pk.addAll(JWSAlgorithm.Family.RSA);
    pk.addAll(JWSAlgorithm.Family.EC);
    pk.addAll(JWSAlgorithm.Family.ED);
    PUBLIC_KEY = Set.copyOf(pk);
  }

  private Algorithms() {}

  static void requirePublicKey(Set<JWSAlgorithm> algorithms) {
    if (algorithms.isEmpty() || !PUBLIC_KEY.containsAll(algorithms)) {
      throw new IllegalStateException(
          "a public-key source allows only RSA, ECDSA and EdDSA algorithms, got " + algorithms);
    }
  }

  static void requireHmac(Set<JWSAlgorithm> algorithms) {
    if (algorithms.isEmpty() || !JWSAlgorithm.Family.HMAC_SHA.containsAll(algorithms)) {
      throw new IllegalStateException("an HMAC secret allows only HS256, HS384, HS512");
    }
  }
}
