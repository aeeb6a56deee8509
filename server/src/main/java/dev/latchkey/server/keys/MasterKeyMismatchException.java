package dev.latchkey.server.keys;

/** A stored private key does not decrypt with the master key in use (wrong key, or tampering). */
public class MasterKeyMismatchException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public MasterKeyMismatchException(String kid, Throwable cause) {
    super(
        "the private key of signing key "
            + kid
            + " does not decrypt with this master key: wrong master key, or the row was altered",
        cause);
  }
}
