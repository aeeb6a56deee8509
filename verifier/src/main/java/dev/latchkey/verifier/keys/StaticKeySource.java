package dev.latchkey.verifier.keys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A fixed set of public keys (from a PEM file or a JWK Set given at start-up). Keys with a kid
 * match only tokens naming it; a key without kid (a PEM key) matches any kid, as the seed's
 * single-key setup expects.
 */
public final class StaticKeySource implements JWKSource<SecurityContext> {
  private final JWKSet keys;
  private final JWKSet keysWithoutKid;

  public StaticKeySource(JWKSet keys) {
    List<JWK> usable = new ArrayList<>();
    List<JWK> noKid = new ArrayList<>();
    for (JWK k : keys.getKeys()) {
      if (k.getKeyType() == KeyType.OCT) {
        throw new IllegalArgumentException("a public-key source cannot hold a symmetric key");
      }
      JWK pub = k.toPublicJWK();
      usable.add(pub);
      if (pub.getKeyID() == null) {
        noKid.add(pub);
      }
    }
    if (usable.isEmpty()) {
      throw new IllegalArgumentException("no public key given");
    }
    this.keys = new JWKSet(usable);
    this.keysWithoutKid = new JWKSet(noKid);
  }

  public int size() {
    return keys.size();
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context) {
    List<JWK> found = selector.select(keys);
    if (found.isEmpty() && !keysWithoutKid.isEmpty()) {
      JWKMatcher anyKid =
          new JWKMatcher.Builder(selector.getMatcher()).keyIDs((Set<String>) null).build();
      found = new JWKSelector(anyKid).select(keysWithoutKid);
    }
    return found;
  }
}
