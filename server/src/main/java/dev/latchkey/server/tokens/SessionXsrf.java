package dev.latchkey.server.tokens;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A session's XSRF value: {@code HMAC-SHA256(key, "xsrf|" + sid)}, base64url (OWASP's signed
 * double-submit cookie). Derived, not stored: every instance sharing the master key gives a session
 * the same value, and a refresh (same {@code sid}) keeps it. {@link TokenIssuer} signs its hash
 * into the token (see {@link dev.latchkey.verifier.wire.Xsrf}).
 */
public final class SessionXsrf {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final SecretKeySpec key;

  /**
   * @param key at least 256 bits, e.g. {@code masterKey.deriveKey("latchkey xsrf v1")}
   */
  public SessionXsrf(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException("an XSRF key needs at least 256 bits");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
  }

  /** Values under a fresh random key, for an issuer whose tokens no other instance serves. */
  public static SessionXsrf randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new SessionXsrf(key);
  }

  /** The XSRF value of session {@code sid}. */
  public String valueFor(String sid) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return B64.encodeToString(mac.doFinal(("xsrf|" + sid).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }
}
