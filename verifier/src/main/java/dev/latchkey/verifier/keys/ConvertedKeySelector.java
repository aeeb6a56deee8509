package dev.latchkey.verifier.keys;

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
import java.security.Key;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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
    JWKMatcher matcher = createJWKMatcher(header);
    if (matcher == null) {
      return List.of();
    }
    List<JWK> jwks = getJWKSource().get(new JWKSelector(matcher), context);
    List<Key> keys = new ArrayList<>(jwks.size());
    for (JWK jwk : jwks) {
      keys.addAll(keysOf(jwk));
    }
    return keys;
  }

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
