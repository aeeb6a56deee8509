package dev.latchkey.server.store;

/**
 * Thrown inside a transaction when a concurrent writer changed the row first: {@link
 * Database#inTransactionRetrying} rolls back and runs the work again.
 */
public final class RaceLost extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RaceLost() {
    super(null, null, false, false);
  }
}
