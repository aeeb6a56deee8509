package dev.latchkey.server.throttle;

import dev.latchkey.server.users.EmailAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): after a
 * successful login the browser gets {@code <device id>.<HMAC-SHA256(key, device id | normalised
 * email)>}, a credential that says "this browser logged in to this account before". The key is
 * derived from the master key, so every instance sharing the database accepts the cookies of the
 * others and nothing is stored. A login presenting a valid device cookie for the account it names
 * is judged by that device's own counter instead of the account-wide one (see {@link
 * LoginThrottle}).
 */
public final class DeviceCookies {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final int ID_CHARS = 22; // 128 bits
  private static final int MAC_CHARS = 43; // 256 bits
  private static final int MAX_LENGTH = ID_CHARS + 1 + MAC_CHARS;

  private final SecretKeySpec key;

  /**
   * @param key at least 256 bits, e.g. {@code masterKey.deriveKey("latchkey device cookie")}
   */
  public DeviceCookies(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException("a device cookie key needs at least 256 bits");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
  }

  /** A new device cookie value for a browser that just logged in to {@code email}. */
  public String issue(String email) {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    String deviceId = B64.encodeToString(id);
    return deviceId + "." + mac(deviceId, email);
  }

  /**
   * The device id of a cookie value issued for {@code email} by this key, or null when the value is
   * absent, malformed, forged or issued for another account.
   */
  public String deviceIdFor(String cookieValue, String email) {
    if (cookieValue == null || cookieValue.length() != MAX_LENGTH) {
      return null;
    }
    int dot = cookieValue.indexOf('.');
    if (dot != ID_CHARS) {
      return null;
    }
    String deviceId = cookieValue.substring(0, dot);
    byte[] expected = mac(deviceId, email).getBytes(StandardCharsets.US_ASCII);
    byte[] given = cookieValue.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given) ? deviceId : null;
  }

  private String mac(String deviceId, String email) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      String account = EmailAddress.normalize(email == null ? "" : email);
      return B64.encodeToString(
          mac.doFinal(("device|" + deviceId + "|" + account).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }
}
