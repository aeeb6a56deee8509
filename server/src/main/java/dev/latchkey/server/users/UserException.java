package dev.latchkey.server.users;

/** A user operation that cannot be done: its message says why, for the operator. */
public class UserException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Machine-readable reason: {@code invalid_email}, {@code weak_password}, {@code exists}... */
  private final String reason;

  public UserException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
