package dev.latchkey.server.store;

/** The database cannot be reached right now; the HTTP layer answers 503 and callers may retry. */
public class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
