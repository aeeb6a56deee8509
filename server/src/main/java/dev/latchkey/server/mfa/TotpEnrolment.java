package dev.latchkey.server.mfa;

/**
 * A pending TOTP enrolment, shown once to the user to load into an authenticator app.
 *
 * @param secret the shared secret in base32
 * @param otpauthUri the {@code otpauth://totp/...} URI a QR code carries
 */
public record TotpEnrolment(String secret, String otpauthUri) {
  @Override
  public String toString() {
    return "TotpEnrolment[***]";
  }
}
