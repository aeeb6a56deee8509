package dev.latchkey.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.latchkey.verifier.internal.keys.ConvertedKeySelector;
import dev.latchkey.verifier.internal.keys.KeyRefetchLimitedException;
import java.security.Key;
import java.util.List;
import java.util.Set;

/**
 * Key selection and signature, both by Nimbus: the keys of the source that match the header (alg
 * allow-list, kid, key type; never a key the token carries or points to), then Nimbus's verifier
 * for each until one verifies.
 */
final class SignatureCheck {
  private final ConvertedKeySelector keys;
  private final ReusedVerifierFactory verifiers = new ReusedVerifierFactory();

  SignatureCheck(Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> source) {
    this.keys = new ConvertedKeySelector(algorithms, source);
  }

  /**
   * @throws TokenRejectedException {@code keys_unavailable} when the source has no usable key,
   *     {@code unknown_key} when none matches, {@code bad_signature} when none verifies
   */
  void verify(ParsedToken token) {
    JWSHeader header = token.header();
    List<Key> candidates;
    try {
      candidates = keys.selectJWSKeys(header, null);
    } catch (KeyRefetchLimitedException e) {
      throw new TokenRejectedException(RejectionReason.KEY_REFETCH_LIMITED, e.getMessage());
    } catch (KeySourceException e) {
      throw new TokenRejectedException(RejectionReason.KEYS_UNAVAILABLE, e.getMessage());
    }
    if (candidates.isEmpty()) {
      throw new TokenRejectedException(RejectionReason.UNKNOWN_KEY);
    }
    try {
      for (Key key : candidates) {
        if (verifiers
            .createJWSVerifier(header, key)
            .verify(header, token.signingInput(), token.signature())) {
          return;
        }
      }
    } catch (JOSEException e) {
      throw new TokenRejectedException(RejectionReason.BAD_SIGNATURE, e.getMessage());
    }
    throw new TokenRejectedException(RejectionReason.BAD_SIGNATURE);
  }
}
