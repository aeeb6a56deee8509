package dev.latchkey.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import java.security.Key;
import java.util.Arrays;
import java.util.Set;

/**
 * Nimbus's {@link DefaultJWSVerifierFactory}, remembering the verifier it made for each (key,
 * algorithm) pair: {@code DefaultJWTProcessor} asks for a new verifier on every token, although
 * Nimbus's verifiers are immutable and thread-safe (each {@code verify} takes its own JCA {@code
 * Signature}). Keys are compared by identity: the key selector hands out the same {@link Key}
 * instance for a held JWK, and a key that is no longer held is never selected again.
 */
final class ReusedVerifierFactory implements JWSVerifierFactory {
  private static final int MAX_REMEMBERED = 64;

  private record Made(Key key, JWSAlgorithm alg, JWSVerifier verifier) {}

  private final DefaultJWSVerifierFactory delegate = new DefaultJWSVerifierFactory();
  private volatile Made[] made = new Made[0];

  @Override
  public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
    JWSAlgorithm alg = header.getAlgorithm();
    for (Made m : made) {
      if (m.key() == key && m.alg().equals(alg)) {
        return m.verifier();
      }
    }
    JWSVerifier fresh = delegate.createJWSVerifier(header, key); // all of Nimbus's checks
    synchronized (this) {
      Made[] current = made.length >= MAX_REMEMBERED ? new Made[0] : made;
      Made[] next = Arrays.copyOf(current, current.length + 1);
      next[current.length] = new Made(key, alg, fresh);
      made = next;
    }
    return fresh;
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return delegate.supportedJWSAlgorithms();
  }

  @Override
  public JCAContext getJCAContext() {
    return delegate.getJCAContext();
  }
}
