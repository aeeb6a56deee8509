package dev.latchkey.server.signin;

import dev.latchkey.server.sessions.SessionTokens;
import java.time.Duration;

/**
 * How a sign-in attempt ended. A new way of signing in, or a new step, is one more case here: the
 * HTTP layer maps each case to its answer in one place.
 */
public sealed interface SignInOutcome {

  /** Signed in: the session to deliver and the device cookie value the browser gets with it. */
  record SignedIn(SessionTokens session, String deviceCookie) implements SignInOutcome {}

  /**
   * The password was right but the account asks for another step (a second factor) before a session
   * starts: the pending sign-in that step completes ({@link SignIn#completeSecondStep}).
   */
  record StepRequired(PendingSignIn pending) implements SignInOutcome {}

  /**
   * Refused: no session, and for a password check nothing done. The same refusals whatever the
   * entry ({@link SignIn#signIn} or {@link SignIn#checkPassword}).
   */
  sealed interface Refusal extends SignInOutcome, PasswordCheck {}

  /** Unknown email, wrong password or disabled account: one answer whatever the reason. */
  record InvalidCredentials() implements Refusal {}

  /**
   * The password was right but the email is not verified yet: audited and counted apart, answered
   * as {@link InvalidCredentials} (a caller must not learn that the address has an account).
   */
  record EmailNotVerified() implements Refusal {}

  /** A throttle counter this attempt is judged by is locked: nothing was hashed. */
  record Throttled(Duration retryAfter) implements Refusal {}

  /** A second step's code was wrong, replayed or already used: the pending sign-in waits on. */
  record InvalidCode() implements Refusal {}

  /**
   * A passkey's assertion was refused (unknown or removed credential, spent or expired challenge,
   * wrong origin or RP ID, no user verification where it is required, bad signature, a counter that
   * did not grow): one answer whatever the reason.
   */
  record InvalidPasskey() implements Refusal {}

  /**
   * A second step for a pending sign-in that is unknown, expired, completed, ended by wrong codes
   * or started in another browser: the password must be typed again.
   */
  record SignInExpired() implements Refusal {}

  /** The hashing pool was full, or the attempt waited too long for a thread: nothing was judged. */
  record Busy() implements Refusal {}
}
