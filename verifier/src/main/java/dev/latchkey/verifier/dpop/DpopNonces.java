package dev.latchkey.verifier.dpop;

import com.nimbusds.jose.util.Base64URL;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server-provided DPoP nonces (RFC 9449 §8, §9): the nonce of a period is HMAC-SHA256(secret,
 * period number), so every instance given the same secret issues and accepts the same nonces
 * without sharing state. A proof must carry the current period's nonce or the previous one's (a
 * client that just received a nonce is not refused at the turn of a period).
 */
public final class DpopNonces {
  /** The shortest secret taken: 256 bits, the HMAC's own strength. */
  public static final int MIN_SECRET_BYTES = 32;

  /** A period's nonce and the previous one's, computed once per period, not per request. */
  private record Nonces(long period, String current, String previous) {}

  private final SecretKeySpec key;
  private final long periodSeconds;
  private final Clock clock;
  private volatile Nonces known;

  private DpopNonces(byte[] secret, Duration period, Clock clock) {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "the nonce secret needs at least " + MIN_SECRET_BYTES + " bytes");
    }
    if (period.toSeconds() < 1) {
      throw new IllegalArgumentException("the nonce period must be at least one second");
    }
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    this.periodSeconds = period.toSeconds();
    this.clock = Objects.requireNonNull(clock);
  }

  /**
   * Nonces shared by every instance holding {@code secret} (at least 32 random bytes), changing
   * every {@code period}.
   */
  public static DpopNonces withSecret(byte[] secret, Duration period, Clock clock) {
    return new DpopNonces(secret, period, clock);
  }

  /** Nonces of this instance only (a random secret): for a single application server. */
  public static DpopNonces random(Duration period, Clock clock) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return new DpopNonces(secret, period, clock);
  }

  /** The nonce to send in {@code DPoP-Nonce} now. */
  public String current() {
    return nonces().current();
  }

  /** Whether {@code nonce} is the current period's or the previous one's. */
  public boolean accepts(String nonce) {
    if (nonce == null) {
      return false;
    }
    Nonces now = nonces();
    return same(nonce, now.current()) || same(nonce, now.previous());
  }

  private Nonces nonces() {
    long p = period();
    Nonces n = known;
    if (n == null || n.period() != p) {
      n = new Nonces(p, nonceOf(p), nonceOf(p - 1));
      known = n;
    }
    return n;
  }

  private long period() {
    return Math.floorDiv(clock.instant().getEpochSecond(), periodSeconds);
  }

  private String nonceOf(long period) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] h = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(period).array());
      return Base64URL.encode(h).toString();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean same(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
