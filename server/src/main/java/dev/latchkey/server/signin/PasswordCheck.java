package dev.latchkey.server.signin;

/**
 * How checking a signed-in user's password ({@link SignIn#checkPassword}) or current TOTP code
 * ({@link SignIn#checkTotpCode}) ended: confirmed (and the action that needed it done), or one of
 * the {@link SignInOutcome.Refusal refusals} of a sign-in.
 */
public sealed interface PasswordCheck permits PasswordCheck.Confirmed, SignInOutcome.Refusal {

  /** The password was right and the action that needed it ran. */
  record Confirmed() implements PasswordCheck {}
}
