package dev.latchkey.server.mfa;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Recovery codes: {@value #COUNT} random codes of {@value #LENGTH} base32 characters (50 bits
 * each), shown as {@code xxxxx-xxxxx}, stored only as a keyed hash.
 *
 * <p>Why HMAC-SHA256 and not Argon2id as for passwords: a slow hash protects low-entropy secrets
 * people choose. These codes are 50 random bits, so even a fast hash leaves 2^50 guesses per code
 * to someone holding the table; and the key, derived from the master key, is not in the database,
 * so a stolen table alone lets nobody test a guess at all. Online guessing is bounded by the login
 * throttle. A fast hash also keeps a sign-in from spending a hashing-pool place per stored code.
 */
final class RecoveryCodes {
  /** Codes issued at a time. */
  static final int COUNT = 10;

  /** Characters of a code, without its hyphen. */
  static final int LENGTH = 10;

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;

  RecoveryCodes(byte[] key) {
    this.key = key.clone();
  }

  /** {@value #COUNT} fresh codes, as shown to the user. */
  List<String> generate() {
    List<String> codes = new ArrayList<>(COUNT);
    for (int i = 0; i < COUNT; i++) {
      StringBuilder code = new StringBuilder(LENGTH + 1);
      for (int c = 0; c < LENGTH; c++) {
        if (c == LENGTH / 2) {
          code.append('-');
        }
        code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
      }
      codes.add(code.toString());
    }
    return codes;
  }

  /**
   * The code as typed, in the one form that is hashed: lower case, without spaces and hyphens.
   *
   * @return empty when it cannot be a recovery code (so it is not looked up)
   */
  static Optional<String> normalize(String typed) {
    if (typed == null || typed.length() > 4 * LENGTH) {
      return Optional.empty();
    }
    String clean = typed.replace("-", "").replace(" ", "").toLowerCase(Locale.ROOT);
    if (clean.length() != LENGTH || !clean.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
      return Optional.empty();
    }
    return Optional.of(clean);
  }

  /** The stored hash of a normalized code, bound to its user (hex, 64 characters). */
  String hash(String userId, String normalized) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] digest = mac.doFinal((userId + ":" + normalized).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }
}
