package dev.latchkey.server.signin;

/** Told how each sign-in ended (the metrics). Never given the user, the address or a secret. */
public interface SignInEvents {

  /** A sign-in ended with this outcome. */
  void decided(SignInOutcome outcome);

  /** A sign-in could not be judged: the database was unreachable. */
  void unavailable();

  /** Tells nothing. */
  SignInEvents NONE =
      new SignInEvents() {
        @Override
        public void decided(SignInOutcome outcome) {}

        @Override
        public void unavailable() {}
      };
}
