package dev.latchkey.server.signin;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.mfa.SecondFactors;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.signin.SignInOutcome.Busy;
import dev.latchkey.server.signin.SignInOutcome.EmailNotVerified;
import dev.latchkey.server.signin.SignInOutcome.InvalidCode;
import dev.latchkey.server.signin.SignInOutcome.InvalidCredentials;
import dev.latchkey.server.signin.SignInOutcome.Refusal;
import dev.latchkey.server.signin.SignInOutcome.SignInExpired;
import dev.latchkey.server.signin.SignInOutcome.StepRequired;
import dev.latchkey.server.signin.SignInOutcome.Throttled;
import dev.latchkey.server.store.StoreUnavailableException;
import dev.latchkey.server.throttle.DeviceCookies;
import dev.latchkey.server.throttle.LoginThrottle;
import dev.latchkey.server.throttle.LoginThrottle.Admission;
import dev.latchkey.server.throttle.LoginThrottle.Reservation;
import dev.latchkey.server.throttle.TypedEmail;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.Account;
import dev.latchkey.server.users.AuthenticatedUser;
import dev.latchkey.server.users.HashingPool;
import dev.latchkey.server.users.Users;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way a password is judged, for a sign-in (the JSON API and the hosted page) and for a
 * signed-in user's password check (password change) alike: refused at once when the hashing pool is
 * full; a place reserved in the brute-force throttle before any hashing (judged by the device's
 * counter when the browser shows a valid device cookie for the account, else by the account's;
 * always by the address's); the hash on the bounded pool (an unknown email pays the same); the
 * reservation settled (a right password clears it, a wrong one stays counted, an unjudged one is
 * given back); the audit record; then, for a sign-in, the account checks and the session, or, for
 * an account with a second factor, a {@link PendingSignIn} (the password's reservation is then
 * given back, not cleared: a right password alone must not reset the counter that wrong codes count
 * on). {@link #completeSecondStep} finishes it through the same throttle.
 *
 * <p>Never throws for a refusal: every answer is a {@link SignInOutcome} or a {@link
 * PasswordCheck}. A future fails only when the database or the code fails.
 */
public final class SignIn {
  private final LoginThrottle throttle;
  private final DeviceCookies devices;
  private final Users users;
  private final boolean requireVerifiedEmail;
  private final HashingPool hashing;
  private final Audit audit;
  private final SignInEvents events;
  private final SessionStart sessionStart;
  private final CodeSteps codeSteps;

  public SignIn(
      LoginThrottle throttle,
      DeviceCookies devices,
      Users users,
      boolean requireVerifiedEmail,
      Sessions sessions,
      TokenIssuer tokens,
      HashingPool hashing,
      Audit audit,
      SignInEvents events,
      SecondFactors factors,
      PendingSignIns pending) {
    this.throttle = throttle;
    this.devices = devices;
    this.users = users;
    this.requireVerifiedEmail = requireVerifiedEmail;
    this.hashing = hashing;
    this.audit = audit;
    this.events = events;
    this.sessionStart = new SessionStart(sessions, tokens, devices, audit);
    this.codeSteps =
        new CodeSteps(throttle, devices, users, audit, events, factors, pending, sessionStart);
  }

  /** Signs in with a password: the outcome, off the request thread unless refused at once. */
  public CompletableFuture<SignInOutcome> signIn(PasswordAttempt attempt) {
    Judged judged =
        new Judged(
            attempt.email(), attempt.client(), attempt.deviceCookie() != null, attempt.dpopKey());
    return this.<SignInOutcome>judge(
            judged,
            attempt.password(),
            () -> devices.deviceIdFor(attempt.deviceCookie(), attempt.email()),
            user -> signedIn(user, judged),
            refusal -> refusal)
        .whenComplete(this::report);
  }

  /**
   * Checks a signed-in user's password through the same throttle and pool, without starting a
   * session: when it is right, {@code then} runs on the hashing thread (it may hash too) and the
   * answer is {@link PasswordCheck.Confirmed}. The password array is wiped when done.
   */
  public CompletableFuture<PasswordCheck> checkPassword(
      String userId, char[] password, String client, Consumer<AuthenticatedUser> then) {
    if (hashing.full()) { // as for a sign-in: before the database is touched
      Arrays.fill(password, '\0');
      return CompletableFuture.completedFuture(new Busy());
    }
    String email;
    try {
      email = users.account(userId).map(Account::email).orElse("");
    } catch (RuntimeException e) {
      Arrays.fill(password, '\0');
      return CompletableFuture.failedFuture(e);
    }
    return this.<PasswordCheck>judge(
        new Judged(email, client, false, null),
        password,
        () -> null,
        user -> {
          then.accept(user);
          return new Right<>(new PasswordCheck.Confirmed(), true);
        },
        refusal -> refusal);
  }

  /**
   * Checks a signed-in user's current TOTP code (a recovery code is refused unspent) through the
   * login throttle, as a second step is checked: when it is right, {@code then} runs and the answer
   * is {@link PasswordCheck.Confirmed}; else {@link InvalidCode} (counted) or {@link Throttled}.
   * For actions that need proof of the factor itself (removing it, new recovery codes).
   */
  public PasswordCheck checkTotpCode(String userId, String code, String client, Runnable then) {
    return codeSteps.checkTotpCode(userId, code, client, then);
  }

  /** What the audit lines of an attempt say about it, and the DPoP key its session is bound to. */
  private record Judged(String email, String client, boolean deviceCookieShown, String dpopKey) {}

  /**
   * What a right password leads to, and whether it clears the throttle's counters (else its
   * reservation is given back).
   */
  private record Right<T>(T answer, boolean clearsCounters) {}

  private <T> CompletableFuture<T> judge(
      Judged attempt,
      char[] password,
      Supplier<String> deviceId,
      Function<AuthenticatedUser, Right<T>> whenRight,
      Function<Refusal, T> refused) {
    CompletableFuture<T> result;
    try {
      result = reserveAndHash(attempt, password, deviceId, whenRight, refused);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result.whenComplete((done, error) -> Arrays.fill(password, '\0'));
  }

  private <T> CompletableFuture<T> reserveAndHash(
      Judged attempt,
      char[] password,
      Supplier<String> deviceId,
      Function<AuthenticatedUser, Right<T>> whenRight,
      Function<Refusal, T> refused) {
    if (hashing.full()) {
      // refused at once, before the throttle's rows are touched and without going asynchronous:
      // under a flood, a 503 costs no database work and as little HTTP work as a 404
      return CompletableFuture.completedFuture(refused.apply(new Busy()));
    }
    Admission admission = throttle.reserve(attempt.email(), attempt.client(), deviceId.get());
    if (admission instanceof Admission.Refused locked) {
      audit.record(
          AuditEvent.LOGIN_THROTTLED,
          "email",
          TypedEmail.of(attempt.email()),
          "client",
          attempt.client(),
          "device_cookie",
          attempt.deviceCookieShown(),
          "retry_after_seconds",
          locked.retryAfter().toSeconds());
      return CompletableFuture.completedFuture(refused.apply(new Throttled(locked.retryAfter())));
    }
    Reservation reservation = ((Admission.Admitted) admission).reservation();
    CompletableFuture<T> judged;
    try {
      judged =
          hashing.submit(
              () -> {
                Optional<AuthenticatedUser> user;
                try {
                  user = users.authenticate(attempt.email(), password);
                } finally {
                  Arrays.fill(password, '\0');
                }
                if (user.isEmpty()) {
                  failed(attempt, "invalid_credentials"); // the reserved place stays counted
                  return refused.apply(new InvalidCredentials());
                }
                Right<T> right;
                try {
                  right = whenRight.apply(user.get());
                } catch (RuntimeException e) {
                  throttle.release(reservation);
                  throw e;
                }
                if (right.clearsCounters()) {
                  throttle.succeeded(reservation);
                } else {
                  throttle.release(reservation);
                }
                return right.answer();
              });
    } catch (RuntimeException e) {
      throttle.release(reservation);
      throw e;
    }
    return judged.exceptionallyCompose(
        error -> {
          if (unwrap(error) instanceof HashingPool.Saturated) { // never judged: give it back
            throttle.release(reservation);
            return CompletableFuture.completedFuture(refused.apply(new Busy()));
          }
          return CompletableFuture.failedFuture(error);
        });
  }

  /**
   * The password was right: the account checks, then the session, or the pending sign-in when the
   * account has a second factor.
   */
  private Right<SignInOutcome> signedIn(AuthenticatedUser user, Judged attempt) {
    if (requireVerifiedEmail && !user.emailVerified()) {
      failed(attempt, "email_not_verified");
      return new Right<>(new EmailNotVerified(), true);
    }
    if (user.secondFactor()) {
      Optional<StepRequired> step = codeSteps.stepFor(user, attempt.client());
      if (step.isPresent()) {
        return new Right<>(step.get(), false);
      }
    }
    return new Right<>(
        sessionStart.start(
            user, attempt.client(), attempt.deviceCookieShown(), null, attempt.dpopKey()),
        true);
  }

  /**
   * Finishes a pending sign-in with a second-step code: {@link SignInExpired} at once (before the
   * throttle) for a pending sign-in that is not live or not this browser's; then a place on the
   * same throttle as passwords (the account's counter, or the device's); the code checked and spent
   * ({@link SecondFactors#verify}); a wrong code stays counted (and ends the pending sign-in at the
   * {@value PendingSignIns#MAX_FAILED_CODES}th); a right one completes the pending sign-in once,
   * clears the counters and starts the session.
   */
  public SignInOutcome completeSecondStep(CodeAttempt attempt) {
    SignInOutcome outcome;
    try {
      outcome = codeSteps.secondStep(attempt);
    } catch (RuntimeException e) {
      report(null, e);
      throw e;
    }
    report(outcome, null);
    return outcome;
  }

  private void failed(Judged attempt, String reason) {
    audit.record(
        AuditEvent.LOGIN_FAILED,
        "email",
        TypedEmail.of(attempt.email()),
        "client",
        attempt.client(),
        "device_cookie",
        attempt.deviceCookieShown(),
        "reason",
        reason);
  }

  private void report(SignInOutcome outcome, Throwable error) {
    if (outcome != null) {
      events.decided(outcome);
    } else if (unwrap(error) instanceof StoreUnavailableException) {
      events.unavailable();
    }
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
