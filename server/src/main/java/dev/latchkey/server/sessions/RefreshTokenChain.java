package dev.latchkey.server.sessions;

import dev.latchkey.verifier.wire.Digests;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The tokens of a refresh family: the first is 256 random bits, each successor is HMAC-SHA256 of
 * its predecessor under a key derived from the master key. Only {@link #hash}es are stored, yet the
 * family's current token can be found again from any earlier one.
 */
final class RefreshTokenChain {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_WALK = 64;

  private final byte[] key;

  RefreshTokenChain(byte[] key) {
    this.key = key.clone();
  }

  /** A new family's first token. */
  static String first() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return base64(bytes);
  }

  /** The successor of a token in its family. */
  String child(String token) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return base64(mac.doFinal(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The later token of the same family whose hash is {@code hash}, within a bounded walk. */
  Optional<String> descendantWithHash(String token, String hash) {
    String t = token;
    for (int i = 0; i < MAX_WALK; i++) {
      t = child(t);
      if (hash(t).equals(hash)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** What is stored of a refresh token: base64url(SHA-256). */
  static String hash(String token) {
    return Digests.sha256Base64Url(token);
  }

  private static String base64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
