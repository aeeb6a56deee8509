package dev.latchkey.verifier.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The one SHA-256 → base64url (no padding) of a text, as the {@link Xsrf#CLAIM} claim carries it
 * and as the auth server stores what it must recognise but never keep (refresh and link tokens,
 * throttle keys).
 */
public final class Digests {
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private Digests() {}

  /** base64url(SHA-256(UTF-8 bytes of {@code text})), 43 characters. */
  public static String sha256Base64Url(String text) {
    try {
      return BASE64URL.encodeToString(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e); // every JDK has it
    }
  }
}
