package dev.latchkey.verifier;

import com.nimbusds.jose.jwk.JWKSet;
import dev.latchkey.verifier.internal.keys.InMemoryKeySource;
import dev.latchkey.verifier.internal.keys.KeySource;
import java.util.function.Supplier;

/**
 * A verifier whose public keys are held in memory: from PEM, a fixed JWK Set, or the current set of
 * a supplier. Public parts only are kept; symmetric keys are refused. Default algorithm RS256.
 */
public final class PublicKeyBuilder extends VerifierBuilder<PublicKeyBuilder> {
  private final Supplier<KeySource> source;

  PublicKeyBuilder(Supplier<KeySource> source) {
    this.source = source;
  }

  /** Keys that never change, read once at {@link #build()}. */
  static PublicKeyBuilder fixed(Supplier<JWKSet> read) {
    return new PublicKeyBuilder(
        () -> {
          JWKSet keys = read.get();
          return new InMemoryKeySource(() -> keys);
        });
  }

  @Override
  KeySource keySource() {
    return source.get();
  }
}
