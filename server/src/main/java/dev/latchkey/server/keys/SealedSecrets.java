package dev.latchkey.server.keys;

/**
 * Other secrets sealed at rest exactly as signing private keys are ({@link MasterKey}'s AES-GCM
 * format, a fresh nonce each time), under a label that is the associated data: a ciphertext sealed
 * for one label (one purpose and one row) does not open under another, nor as a signing key.
 */
public final class SealedSecrets {
  private final MasterKey masterKey;

  public SealedSecrets(MasterKey masterKey) {
    this.masterKey = masterKey;
  }

  /**
   * Encrypts a secret for storage.
   *
   * @param label what and whose the secret is, e.g. {@code totp:<user id>}; must contain a colon,
   *     so that it can never equal a signing key's kid
   */
  public String seal(byte[] secret, String label) {
    return masterKey.encrypt(secret, checked(label));
  }

  /**
   * Decrypts what {@link #seal} stored under the same label.
   *
   * @throws IllegalStateException when it does not decrypt: another master key, or an altered row
   */
  public byte[] open(String sealed, String label) {
    try {
      return masterKey.decrypt(sealed, checked(label));
    } catch (MasterKeyMismatchException e) {
      throw new IllegalStateException(
          "a secret sealed for "
              + label
              + " does not decrypt with this master key: wrong master key, or the row was altered",
          e.getCause());
    }
  }

  private static String checked(String label) {
    if (label.indexOf(':') < 0) {
      throw new IllegalArgumentException("a sealed secret's label must contain a colon: " + label);
    }
    return label;
  }
}
