package dev.latchkey.server.signin;

import dev.latchkey.server.accounts.Accounts;
import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.sessions.SessionTokens;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.signin.SignInOutcome.Busy;
import dev.latchkey.server.signin.SignInOutcome.EmailNotVerified;
import dev.latchkey.server.signin.SignInOutcome.InvalidCredentials;
import dev.latchkey.server.signin.SignInOutcome.Refusal;
import dev.latchkey.server.signin.SignInOutcome.SignedIn;
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
 * given back); the audit record; then, for a sign-in, the account checks and the session.
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

  public SignIn(
      LoginThrottle throttle,
      DeviceCookies devices,
      Users users,
      Accounts accounts,
      Sessions sessions,
      TokenIssuer tokens,
      HashingPool hashing,
      Audit audit,
      SignInEvents events) {
    this.throttle = throttle;
    this.devices = devices;
    this.users = users;
    this.accounts = accounts;
    this.sessions = sessions;
    this.tokens = tokens;
    this.hashing = hashing;
    this.audit = audit;
    this.events = events;
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
          return new PasswordCheck.Confirmed();
        },
        refusal -> refusal);
  }

  /** What the audit lines of an attempt say about it. */
  private record Judged(String email, String client, boolean deviceCookieShown) {}

  private <T> CompletableFuture<T> judge(
      Judged attempt,
      char[] password,
      Supplier<String> deviceId,
      Function<AuthenticatedUser, T> whenRight,
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
      Function<AuthenticatedUser, T> whenRight,
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
                throttle.succeeded(reservation);
                return whenRight.apply(user.get());
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

  /** The password was right: the account checks, then the session. */
  private SignInOutcome signedIn(AuthenticatedUser user, Judged attempt) {
    if (!accounts.mayLogIn(user)) {
      failed(attempt, "email_not_verified");
      return new EmailNotVerified();
    }
    SessionTokens session = sessions.start(user, tokens, true);
    audit.record(
        AuditEvent.LOGIN_SUCCEEDED,
        "user_id",
        user.id(),
        "sid",
        session.access().sid(),
        "client",
        attempt.client(),
        "device_cookie",
        attempt.deviceCookieShown());
    return new SignedIn(session, devices.issue(attempt.email()));
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
