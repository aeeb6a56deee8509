package dev.latchkey.server.throttle;

import dev.latchkey.server.users.EmailAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What logs and audit records name for a typed email: the normalised address when it is one, else
 * {@code unparsed:} and 8 characters of an HMAC of what was typed. Never the raw text: it comes
 * from the request, so it may forge log lines ({@code "x\n<forged line>"}) or be a password typed
 * into the email field. The HMAC's key is random per process, so a log reader cannot test guesses
 * of such a password against it; the same text reads the same within one process's log.
 */
public final class TypedEmail {
  private static final String HMAC = "HmacSHA256";
  private static final byte[] KEY = randomKey();

  private TypedEmail() {}

  public static String of(String email) {
    if (email == null) {
      return "";
    }
    return EmailAddress.parse(email).orElseGet(() -> "unparsed:" + mac(email).substring(0, 8));
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private static String mac(String text) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(KEY, HMAC));
      byte[] tag = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
