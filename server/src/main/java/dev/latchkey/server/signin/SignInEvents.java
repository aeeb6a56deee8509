package dev.latchkey.server.signin;

/** Told how each sign-in ended (the metrics). Never given the user, the address or a secret. */
public interface SignInEvents {

  /** A sign-in ended with this outcome. */
  void decided(SignInOutcome outcome);

  /** A sign-in could not be judged: the database was unreachable. */
  void unavailable();

  /**
   * A second step ended: {@code method} ({@code totp}, {@code recovery_code}, {@code passkey},
   * {@code none} when the pending sign-in was not found) and {@code outcome} ({@code success},
   * {@code invalid_code}, {@code replayed}, {@code not_enrolled}, {@code refused} (a passkey),
   * {@code throttled}, {@code expired}).
   */
  default void secondStep(String method, String outcome) {}

  /**
   * A passwordless sign-in with a passkey ended: {@code success}, {@code refused} (the assertion),
   * {@code account_refused} (a right assertion for a disabled or unverified account) or {@code
   * throttled}. A passkey as a second step is a {@link #secondStep} of method {@code passkey}.
   */
  default void passkeySignIn(String outcome) {}

  /** Tells nothing. */
  SignInEvents NONE =
      new SignInEvents() {
        @Override
        public void decided(SignInOutcome outcome) {}

        @Override
        public void unavailable() {}
      };
}
