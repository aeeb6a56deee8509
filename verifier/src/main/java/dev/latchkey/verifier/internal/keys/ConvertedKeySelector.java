package dev.latchkey.verifier.internal.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyConverter;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.Key;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Nimbus's {@link JWSVerificationKeySelector} (same allow-list and matcher), remembering the Java
 * key converted from each held JWK: the conversion ({@code KeyFactory.generatePublic}) costs about
 * a tenth of an RS256 verification and the held JWKs are immutable.
 */
public final class ConvertedKeySelector extends JWSVerificationKeySelector<SecurityContext> {
  private static final int MAX_REMEMBERED = 64;

  private volatile Map<JWK, List<Key>> converted = new IdentityHashMap<>();

  public ConvertedKeySelector(Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> source) {
    super(algorithms, source);
  }

  @Override
  public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context)
      throws KeySourceException {
    if (!isAllowed(header.getAlgorithm())) {
      return List.of();
    }
    JWKSelector selector = selectorFor(header);
    if (selector == null) {
      return List.of();
    }
    List<JWK> jwks = getJWKSource().get(selector, context);
    List<Key> keys = new ArrayList<>(jwks.size());
    for (JWK jwk : jwks) {
      keys.addAll(keysOf(jwk));
    }
    return keys;
  }

  /**
   * Nimbus's matcher for the header ({@link #createJWKMatcher}), remembered for the last four
   * headers seen: an issuer signs with one or two kids at a time. The matcher depends on nothing
   * but the header's {@code alg}, {@code kid} and {@code x5t#S256} (Nimbus 10's {@code
   * JWKMatcher.forJWSHeader}), so those three are the cache key.
   */
  private JWKSelector selectorFor(JWSHeader header) {
    JWSAlgorithm alg = header.getAlgorithm();
    String kid = header.getKeyID();
    Base64URL x5t = header.getX509CertSHA256Thumbprint();
    Selector[] known = selectors;
    for (Selector s : known) {
      if (s.alg().equals(alg) && Objects.equals(s.kid(), kid) && Objects.equals(s.x5t(), x5t)) {
        return s.selector();
      }
    }
    JWKMatcher matcher = createJWKMatcher(header);
    if (matcher == null) {
      return null;
    }
    JWKSelector selector = new JWKSelector(matcher);
    synchronized (this) {
      Selector[] next = Arrays.copyOf(selectors, Math.min(selectors.length + 1, 4));
      System.arraycopy(selectors, 0, next, 1, next.length - 1);
      next[0] = new Selector(alg, kid, x5t, selector);
      selectors = next;
    }
    return selector;
  }

  private record Selector(JWSAlgorithm alg, String kid, Base64URL x5t, JWKSelector selector) {}

  private volatile Selector[] selectors = new Selector[0];

  private List<Key> keysOf(JWK jwk) {
    List<Key> known = converted.get(jwk);
    if (known != null) {
      return known;
    }
    List<Key> fresh = List.copyOf(KeyConverter.toJavaKeys(List.of(jwk)));
    synchronized (this) {
      Map<JWK, List<Key>> next =
          converted.size() >= MAX_REMEMBERED
              ? new IdentityHashMap<>()
              : new IdentityHashMap<>(converted);
      next.put(jwk, fresh);
      converted = next;
    }
    return fresh;
  }
}
