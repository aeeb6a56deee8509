package dev.latchkey.verifier;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.SecurityContext;
import dev.latchkey.verifier.internal.fetch.SourceStats;
import dev.latchkey.verifier.internal.keys.KeySource;
import java.util.List;
import java.util.Set;

/**
 * A verifier of HMAC-signed tokens (HS256 by default; HS384 and HS512 by {@link #algorithms}) with
 * a shared secret of at least 256 bits, and at least the hash length of every allowed algorithm.
 */
public final class SecretKeyBuilder extends VerifierBuilder<SecretKeyBuilder> {
  private final byte[] secret;

  SecretKeyBuilder(byte[] secret) {
    this.secret = secret.clone();
  }

  @Override
  Set<JWSAlgorithm> defaultAlgorithms() {
    return Set.of(JWSAlgorithm.HS256);
  }

  @Override
  void checkAlgorithms(Set<JWSAlgorithm> algorithms) {
    Algorithms.requireHmac(algorithms);
    if (secret.length < Defaults.MIN_HMAC_SECRET_BYTES) {
      throw new IllegalStateException("HMAC secret must be at least 256 bits");
    }
    for (JWSAlgorithm alg : algorithms) {
      int needed = Integer.parseInt(alg.getName().substring(2)) / 8;
      if (secret.length < needed) {
        throw new IllegalStateException(alg + " needs a secret of at least " + needed + " bytes");
      }
    }
  }

  @Override
  KeySource keySource() {
    ImmutableSecret<SecurityContext> key = new ImmutableSecret<>(secret);
    return new KeySource() {
      @Override
      public List<JWK> get(JWKSelector selector, SecurityContext context) {
        return key.get(selector, context);
      }

      @Override
      public SourceStats stats() {
        return SourceStats.held(1);
      }
    };
  }
}
