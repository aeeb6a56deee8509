package dev.latchkey.server.keys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The keys of the JWK Set (active first, then next, then retired) and the set itself, read
 * together.
 */
public record PublishedKeys(List<SigningKeyInfo> keys, JWKSet jwkSet) {

  /** The published keys among every stored one. */
  static PublishedKeys of(List<SigningKeyInfo> stored) {
    List<SigningKeyInfo> keys =
        stored.stream()
            .filter(k -> k.state().published())
            .sorted(Comparator.comparingInt(k -> publishOrder(k.state())))
            .toList();
    List<JWK> jwks = new ArrayList<>();
    for (SigningKeyInfo key : keys) {
      try {
        jwks.add(JWK.parse(key.publicJwk()).toPublicJWK());
      } catch (ParseException e) {
        throw new IllegalStateException("stored public JWK of " + key.kid() + " is unreadable", e);
      }
    }
    return new PublishedKeys(keys, new JWKSet(jwks));
  }

  /** The key that signs, if any. */
  Optional<SigningKeyInfo> active() {
    return keys.stream().filter(k -> k.state() == KeyState.ACTIVE).findFirst();
  }

  private static int publishOrder(KeyState state) {
    return switch (state) {
      case ACTIVE -> 0;
      case NEXT -> 1;
      default -> 2;
    };
  }
}
