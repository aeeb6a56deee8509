package dev.latchkey.server.keys;

/** No signing key has the given kid. */
public class UnknownKeyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnknownKeyException(String kid) {
    super("no signing key with kid " + kid);
  }
}
