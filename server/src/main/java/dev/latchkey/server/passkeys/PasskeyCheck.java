package dev.latchkey.server.passkeys;

/** The outcome of checking an assertion: passed, with whose passkey it was, or refused. */
public sealed interface PasskeyCheck {

  /**
   * The assertion verified and its use is recorded.
   *
   * @param synced the credential's backup eligibility (BE): a synced passkey ({@code swk}) or a
   *     device-bound one ({@code hwk})
   */
  record Passed(String userId, boolean synced) implements PasskeyCheck {}

  /**
   * Refused; every reason answers the client the same. {@code reason} is for audit lines and
   * metrics: {@code challenge} (unknown, spent, expired or another ceremony's), {@code
   * unknown_credential}, {@code user_handle}, {@code origin}, {@code rp_id}, {@code
   * user_not_verified}, {@code signature}, {@code counter}, {@code backup_flags}, {@code invalid}.
   */
  record Refused(String reason) implements PasskeyCheck {}
}
