package dev.latchkey.server.mfa;

/**
 * A second-factor operation that cannot be done; {@link #reason()} is the machine-readable code an
 * HTTP answer carries ({@code no_pending_enrolment}, {@code invalid_code}, {@code
 * totp_already_enabled}, {@code totp_not_enabled}).
 */
public class MfaException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public MfaException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
