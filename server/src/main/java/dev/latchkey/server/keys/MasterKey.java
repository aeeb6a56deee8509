package dev.latchkey.server.keys;

import dev.latchkey.server.store.StoreSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's AES-256 key that encrypts signing private keys at rest (AES-GCM, a fresh 96-bit
 * nonce per key, the kid as associated data so a ciphertext cannot be moved to another row).
 */
public final class MasterKey {
  private static final Logger log = LoggerFactory.getLogger(MasterKey.class);

  /** Environment variable holding the base64 master key. */
  public static final String ENV = "LATCHKEY_MASTER_KEY";

  private static final String FORMAT = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey key;

  private MasterKey(byte[] raw) {
    if (raw.length != 32) {
      throw new IllegalArgumentException(
          "the master key must be 32 bytes (base64 of 256 random bits), got " + raw.length);
    }
    this.key = new SecretKeySpec(raw, "AES");
  }

  /**
   * Finds the master key: the configured value, else {@value #ENV}, else the configured file, else
   * {@code dataDir/master.key}, generated with owner-only permissions if it does not exist.
   */
  public static MasterKey load(StoreSettings settings) {
    if (settings.masterKey() != null) {
      return fromBase64(settings.masterKey(), "the configured master key");
    }
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return fromBase64(env, ENV);
    }
    if (settings.masterKeyFile() != null) {
      Path file = settings.masterKeyFile();
      if (!Files.isRegularFile(file)) {
        throw new IllegalStateException("master key file " + file + " does not exist");
      }
      return readFile(file);
    }
    Path file = settings.dataDir().resolve("master.key");
    if (Files.isRegularFile(file)) {
      return readFile(file);
    }
    return generateInto(file);
  }

  private static MasterKey readFile(Path file) {
    try {
      return fromBase64(Files.readString(file, StandardCharsets.US_ASCII), "file " + file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read master key file " + file, e);
    }
  }

  private static MasterKey fromBase64(String text, String source) {
    try {
      return new MasterKey(Base64.getDecoder().decode(text.strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "the master key from " + source + " is not base64 of 32 bytes", e);
    }
  }

  private static MasterKey generateInto(Path file) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String text = Base64.getEncoder().encodeToString(raw) + "\n";
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      }
      Files.writeString(file, text, StandardCharsets.US_ASCII);
    } catch (FileAlreadyExistsException raced) {
      return readFile(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write master key file " + file, e);
    }
    log.warn(
        "Generated a new master key in {} (owner-only permissions). It encrypts the signing keys:"
            + " back it up, or supply your own with --master-key-file or {}.",
        file.toAbsolutePath(),
        ENV);
    return new MasterKey(raw);
  }

  /** Creates a fresh random master key, base64-encoded (for operators and tests). */
  public static String generateBase64() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return Base64.getEncoder().encodeToString(raw);
  }

  String encrypt(byte[] plaintext, String kid) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext);
      byte[] out = new byte[nonce.length + sealed.length];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
      return FORMAT + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  byte[] decrypt(String stored, String kid) {
    if (!stored.startsWith(FORMAT)) {
      throw new IllegalStateException("unknown private key format for key " + kid);
    }
    byte[] in = Base64.getDecoder().decode(stored.substring(FORMAT.length()));
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new MasterKeyMismatchException(kid, e);
    }
  }

  /**
   * A 256-bit key for another purpose, derived from the master key with HMAC-SHA256 (the master key
   * itself never leaves this class). Used for the refresh token chain.
   */
  public byte[] deriveKey(String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "MasterKey[***]";
  }
}
