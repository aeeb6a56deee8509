package dev.latchkey.server.users;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format, {@code
 * $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (unpadded base64), so each stored hash names the
 * parameters it was made with. Passwords are NFKC-normalised and UTF-8 encoded first (NIST SP
 * 800-63B).
 */
public final class PasswordHasher {
  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})"
              + "\\$([A-Za-z0-9+/]{16,128})");
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final Argon2Params params;
  private final AtomicLong hashesAtCurrentParams = new AtomicLong();

  public PasswordHasher(Argon2Params params) {
    this.params = params;
  }

  public Argon2Params params() {
    return params;
  }

  /** Hashes with a fresh random salt and the current parameters. */
  public String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return phc(salt, argon2(password, salt, params, HASH_BYTES));
  }

  /**
   * A stored hash at the current parameters that no password matches (random bytes stand where the
   * hash would be), made without hashing: checking a password against it costs what checking
   * against a real one does, so an unknown email answers no faster than a known one.
   */
  public String unmatchable() {
    byte[] salt = new byte[SALT_BYTES];
    byte[] hash = new byte[HASH_BYTES];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(hash);
    return phc(salt, hash);
  }

  private String phc(byte[] salt, byte[] hash) {
    return "$argon2id$v=19$m="
        + params.memoryKiB()
        + ",t="
        + params.iterations()
        + ",p="
        + params.parallelism()
        + "$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(hash);
  }

  /**
   * The outcome of {@link #check}: whether the password matched, and when it did with a hash of
   * other parameters, its hash at the current ones, to store instead.
   */
  public record Check(boolean matches, Optional<String> rehashed) {}

  /**
   * Checks a password at the cost of one hash at the current parameters, whatever the stored hash
   * was made with, so that a known user with an old, cheaper hash answers no faster than an unknown
   * email (checked against a hash of the current parameters). A stored hash of other parameters (or
   * an unreadable one) is verified and then followed by one hash at the current parameters: on a
   * match, that hash is the rehash to store; otherwise it is a dummy hash that is thrown away.
   */
  public Check check(char[] password, String stored) {
    boolean matches = verify(password, stored);
    if (!needsRehash(stored)) {
      return new Check(matches, Optional.empty());
    }
    String atCurrentCost = hash(password);
    return matches
        ? new Check(true, Optional.of(atCurrentCost))
        : new Check(false, Optional.empty());
  }

  /** How many Argon2 runs used the current parameters (tests count the cost of a check with it). */
  public long hashesAtCurrentParams() {
    return hashesAtCurrentParams.get();
  }

  /**
   * Checks a password against a stored hash in constant time; false for an unreadable hash. Costs
   * what the stored hash's parameters cost: logins use {@link #check}.
   */
  public boolean verify(char[] password, String stored) {
    Matcher m = PHC.matcher(stored);
    if (!m.matches()) {
      return false;
    }
    Argon2Params used;
    try {
      used =
          new Argon2Params(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)));
    } catch (IllegalArgumentException e) {
      return false;
    }
    byte[] salt = B64D.decode(m.group(4));
    byte[] expected = B64D.decode(m.group(5));
    byte[] actual = argon2(password, salt, used, expected.length);
    return MessageDigest.isEqual(expected, actual);
  }

  /** Whether a stored hash was made with other parameters than the current ones. */
  public boolean needsRehash(String stored) {
    Matcher m = PHC.matcher(stored);
    return !m.matches()
        || Integer.parseInt(m.group(1)) != params.memoryKiB()
        || Integer.parseInt(m.group(2)) != params.iterations()
        || Integer.parseInt(m.group(3)) != params.parallelism()
        || B64D.decode(m.group(5)).length != HASH_BYTES;
  }

  private byte[] argon2(char[] password, byte[] salt, Argon2Params p, int length) {
    if (p.equals(params)) {
      hashesAtCurrentParams.incrementAndGet();
    }
    byte[] secret = encode(password);
    try {
      Argon2BytesGenerator generator = new Argon2BytesGenerator();
      generator.init(
          new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
              .withVersion(Argon2Parameters.ARGON2_VERSION_13)
              .withMemoryAsKB(p.memoryKiB())
              .withIterations(p.iterations())
              .withParallelism(p.parallelism())
              .withSalt(salt)
              .build());
      byte[] out = new byte[length];
      generator.generateBytes(secret, out);
      return out;
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  private static byte[] encode(char[] password) {
    CharSequence normalized = Normalizer.normalize(CharBuffer.wrap(password), Normalizer.Form.NFKC);
    ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(normalized));
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    if (buffer.hasArray()) {
      Arrays.fill(buffer.array(), (byte) 0);
    }
    return bytes;
  }
}
