package dev.latchkey.server.store;

/** An unexpected database error that is not an outage (a bug or a broken schema). */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
