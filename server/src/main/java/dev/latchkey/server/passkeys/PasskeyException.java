package dev.latchkey.server.passkeys;

/**
 * A passkey operation that cannot be done, with the status and machine-readable code of its HTTP
 * answer: {@code 400 invalid_request} (not a credential's JSON), {@code 400 passkey_refused} (the
 * registration did not verify: wrong origin, RP ID, challenge, ...), {@code 409 passkey_exists},
 * {@code 409 too_many_passkeys}, {@code 404 unknown_passkey}.
 */
public class PasskeyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String reason;

  PasskeyException(int status, String reason, String message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  static PasskeyException malformed() {
    return new PasskeyException(
        400,
        "invalid_request",
        "The body is not a credential's JSON (PublicKeyCredential.toJSON()).");
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }
}
