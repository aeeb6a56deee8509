package dev.latchkey.server.signin;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.mfa.FactorSummary;
import dev.latchkey.server.mfa.SecondFactorMethod;
import dev.latchkey.server.mfa.SecondFactors;
import dev.latchkey.server.mfa.SecondStep;
import dev.latchkey.server.signin.SignInOutcome.InvalidCode;
import dev.latchkey.server.signin.SignInOutcome.SignInExpired;
import dev.latchkey.server.signin.SignInOutcome.SignedIn;
import dev.latchkey.server.signin.SignInOutcome.StepRequired;
import dev.latchkey.server.signin.SignInOutcome.Throttled;
import dev.latchkey.server.throttle.DeviceCookies;
import dev.latchkey.server.throttle.LoginThrottle;
import dev.latchkey.server.throttle.LoginThrottle.Admission;
import dev.latchkey.server.throttle.LoginThrottle.Reservation;
import dev.latchkey.server.throttle.TypedEmail;
import dev.latchkey.server.users.Account;
import dev.latchkey.server.users.AuthenticatedUser;
import dev.latchkey.server.users.Users;
import java.util.Optional;

/**
 * The code steps of {@link SignIn}: a pending sign-in finished with a second-step code, and a
 * signed-in user's current TOTP code checked; both on the login throttle, as passwords are.
 */
final class CodeSteps {
  private final LoginThrottle throttle;
  private final DeviceCookies devices;
  private final Users users;
  private final Audit audit;
  private final SignInEvents events;
  private final SecondFactors factors;
  private final PendingSignIns pending;
  private final SessionStart sessionStart;

  CodeSteps(
      LoginThrottle throttle,
      DeviceCookies devices,
      Users users,
      Audit audit,
      SignInEvents events,
      SecondFactors factors,
      PendingSignIns pending,
      SessionStart sessionStart) {
    this.throttle = throttle;
    this.devices = devices;
    this.users = users;
    this.audit = audit;
    this.events = events;
    this.factors = factors;
    this.pending = pending;
    this.sessionStart = sessionStart;
  }

  /**
   * The pending sign-in of a user whose password was right, when the account has a second factor:
   * no session until a code finishes it.
   */
  Optional<StepRequired> stepFor(AuthenticatedUser user, String client) {
    FactorSummary factorsOn = factors.summary(user.id());
    if (!factorsOn.secondStepRequired()) {
      return Optional.empty();
    }
    PendingSignIn started = pending.start(user.id(), factorsOn.methods());
    audit.record(
        AuditEvent.LOGIN_STEP_REQUIRED,
        "user_id",
        user.id(),
        "client",
        client,
        "methods",
        String.join(" ", started.methods().stream().map(SecondFactorMethod::wireName).toList()));
    return Optional.of(new StepRequired(started));
  }

  /**
   * Checks a signed-in user's current TOTP code (a recovery code is refused unspent) through the
   * login throttle, as a second step is checked: when it is right, {@code then} runs and the answer
   * is {@link PasswordCheck.Confirmed}; else {@link InvalidCode} (counted) or {@link Throttled}.
   * For actions that need proof of the factor itself (removing it, new recovery codes).
   */
  PasswordCheck checkTotpCode(String userId, String code, String client, Runnable then) {
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

  /** See {@link SignIn#completeSecondStep}. */
  SignInOutcome secondStep(CodeAttempt attempt) {
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
      // the password step found the address verified and the factor on
      AuthenticatedUser user = new AuthenticatedUser(waiting.userId(), email, true, true);
      SignedIn signedIn =
          sessionStart.start(user, attempt.client(), deviceShown, method, attempt.dpopKey());
      events.secondStep(method.wireName(), "success");
      return signedIn;
    } catch (RuntimeException e) {
      throttle.release(reservation);
      throw e;
    }
  }

  /** The method a code looks like, for metrics of refused codes (a TOTP code has six digits). */
  private static String methodOf(String code) {
    String digits = code == null ? "" : code.strip().replace(" ", "");
    return digits.length() == 6
        ? SecondFactorMethod.TOTP.wireName()
        : SecondFactorMethod.RECOVERY_CODE.wireName();
  }
}
