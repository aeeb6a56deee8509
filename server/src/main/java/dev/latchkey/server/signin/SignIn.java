package dev.latchkey.server.signin;

import dev.latchkey.server.accounts.Accounts;
import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.mfa.FactorSummary;
import dev.latchkey.server.mfa.SecondFactorMethod;
import dev.latchkey.server.mfa.SecondFactors;
import dev.latchkey.server.mfa.SecondStep;
import dev.latchkey.server.sessions.SessionTokens;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.signin.SignInOutcome.Busy;
import dev.latchkey.server.signin.SignInOutcome.EmailNotVerified;
import dev.latchkey.server.signin.SignInOutcome.InvalidCode;
import dev.latchkey.server.signin.SignInOutcome.InvalidCredentials;
import dev.latchkey.server.signin.SignInOutcome.Refusal;
import dev.latchkey.server.signin.SignInOutcome.SignInExpired;
import dev.latchkey.server.signin.SignInOutcome.SignedIn;
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
import dev.latchkey.verifier.wire.AuthenticationMethods;
import java.util.Arrays;
import java.util.List;
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
  private final Accounts accounts;
  private final Sessions sessions;
  private final TokenIssuer tokens;
  private final HashingPool hashing;
  private final Audit audit;
  private final SignInEvents events;
  private final SecondFactors factors;
  private final PendingSignIns pending;

  public SignIn(
      LoginThrottle throttle,
      DeviceCookies devices,
      Users users,
      Accounts accounts,
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
    this.accounts = accounts;
    this.sessions = sessions;
    this.tokens = tokens;
    this.hashing = hashing;
    this.audit = audit;
    this.events = events;
    this.factors = factors;
    this.pending = pending;
  }

  /** Signs in with a password: the outcome, off the request thread unless refused at once. */
  public CompletableFuture<SignInOutcome> signIn(PasswordAttempt attempt) {
    Judged judged = new Judged(attempt.email(), attempt.client(), attempt.deviceCookie() != null);
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
        new Judged(email, client, false),
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
    String digits = code == null ? "" : code.strip().replace(" ", "");
    if (!digits.matches("[0-9]{6}")) {
      return new InvalidCode();
    }
    String email = users.account(userId).map(Account::email).orElse("");
    Admission admission = throttle.reserve(email, client, null);
    if (admission instanceof Admission.Refused locked) {
      audit.record(
          AuditEvent.LOGIN_THROTTLED,
          "email",
          TypedEmail.of(email),
          "client",
          client,
          "step",
          "totp_check",
          "retry_after_seconds",
          locked.retryAfter().toSeconds());
      return new Throttled(locked.retryAfter());
    }
    Reservation reservation = ((Admission.Admitted) admission).reservation();
    boolean passed;
    try {
      passed = factors.verify(userId, digits) instanceof SecondStep.Passed;
    } catch (RuntimeException e) {
      throttle.release(reservation);
      throw e;
    }
    if (!passed) {
      return new InvalidCode(); // the reserved place stays counted
    }
    throttle.succeeded(reservation);
    then.run();
    return new PasswordCheck.Confirmed();
  }

  /** What the audit lines of an attempt say about it. */
  private record Judged(String email, String client, boolean deviceCookieShown) {}

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
    if (!accounts.mayLogIn(user)) {
      failed(attempt, "email_not_verified");
      return new Right<>(new EmailNotVerified(), true);
    }
    FactorSummary factorsOn = factors.summary(user.id());
    if (factorsOn.secondStepRequired()) {
      PendingSignIn started = pending.start(user.id(), factorsOn.methods());
      audit.record(
          AuditEvent.LOGIN_STEP_REQUIRED,
          "user_id",
          user.id(),
          "client",
          attempt.client(),
          "methods",
          String.join(" ", started.methods().stream().map(SecondFactorMethod::wireName).toList()));
      return new Right<>(new StepRequired(started), false);
    }
    return new Right<>(
        startSession(user, attempt.client(), attempt.deviceCookieShown(), null), true);
  }

  private SignedIn startSession(
      AuthenticatedUser user, String client, boolean deviceCookieShown, SecondFactorMethod method) {
    SessionTokens session = sessions.start(user, tokens, true, amr(method));
    audit.record(
        AuditEvent.LOGIN_SUCCEEDED,
        "user_id",
        user.id(),
        "sid",
        session.access().sid(),
        "client",
        client,
        "device_cookie",
        deviceCookieShown,
        "second_factor",
        method == null ? "none" : method.wireName());
    return new SignedIn(session, devices.issue(user.email()));
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
      outcome = secondStep(attempt);
    } catch (RuntimeException e) {
      report(null, e);
      throw e;
    }
    report(outcome, null);
    return outcome;
  }

  private SignInOutcome secondStep(CodeAttempt attempt) {
    Optional<PendingSignIns.Waiting> found =
        pending.find(attempt.mfaToken(), attempt.browserBinding());
    Optional<Account> account =
        found.flatMap(w -> users.account(w.userId())).filter(a -> !a.disabled());
    if (account.isEmpty()) {
      events.secondStep("none", "expired");
      return new SignInExpired();
    }
    PendingSignIns.Waiting waiting = found.get();
    String email = account.get().email();
    boolean deviceShown = attempt.deviceCookie() != null;
    Admission admission =
        throttle.reserve(
            email, attempt.client(), devices.deviceIdFor(attempt.deviceCookie(), email));
    String typedMethod = methodOf(attempt.code());
    if (admission instanceof Admission.Refused locked) {
      audit.record(
          AuditEvent.LOGIN_THROTTLED,
          "email",
          TypedEmail.of(email),
          "client",
          attempt.client(),
          "device_cookie",
          deviceShown,
          "step",
          "second_factor",
          "retry_after_seconds",
          locked.retryAfter().toSeconds());
      events.secondStep(typedMethod, "throttled");
      return new Throttled(locked.retryAfter());
    }
    Reservation reservation = ((Admission.Admitted) admission).reservation();
    SecondStep checked;
    try {
      checked = factors.verify(waiting.userId(), attempt.code());
    } catch (RuntimeException e) {
      throttle.release(reservation);
      throw e;
    }
    if (checked instanceof SecondStep.Refused refused) {
      pending.failed(waiting.tokenHash()); // the reserved place stays counted
      events.secondStep(typedMethod, refused.reason().wireName());
      return new InvalidCode();
    }
    SecondFactorMethod method = ((SecondStep.Passed) checked).method();
    try {
      if (!pending.complete(waiting.tokenHash())) { // another request finished it first
        throttle.release(reservation);
        events.secondStep(method.wireName(), "expired");
        return new SignInExpired();
      }
      throttle.succeeded(reservation);
      AuthenticatedUser user = new AuthenticatedUser(waiting.userId(), email);
      SignedIn signedIn = startSession(user, attempt.client(), deviceShown, method);
      events.secondStep(method.wireName(), "success");
      return signedIn;
    } catch (RuntimeException e) {
      throttle.release(reservation);
      throw e;
    }
  }

  /** RFC 8176 values: a password, and a one-time code (a TOTP or a single-use recovery code). */
  static List<String> amr(SecondFactorMethod secondFactor) {
    return secondFactor == null
        ? List.of(AuthenticationMethods.PASSWORD)
        : List.of(
            AuthenticationMethods.PASSWORD,
            AuthenticationMethods.ONE_TIME_PASSWORD,
            AuthenticationMethods.MULTI_FACTOR);
  }

  /** The method a code looks like, for metrics of refused codes (a TOTP code has six digits). */
  private static String methodOf(String code) {
    String digits = code == null ? "" : code.strip().replace(" ", "");
    return digits.length() == 6
        ? SecondFactorMethod.TOTP.wireName()
        : SecondFactorMethod.RECOVERY_CODE.wireName();
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
