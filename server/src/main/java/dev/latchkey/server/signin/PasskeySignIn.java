package dev.latchkey.server.signin;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.mfa.SecondFactorMethod;
import dev.latchkey.server.passkeys.Assertion;
import dev.latchkey.server.passkeys.PasskeyCheck;
import dev.latchkey.server.passkeys.Passkeys;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.signin.SignInOutcome.InvalidPasskey;
import dev.latchkey.server.signin.SignInOutcome.SignInExpired;
import dev.latchkey.server.signin.SignInOutcome.Throttled;
import dev.latchkey.server.throttle.DeviceCookies;
import dev.latchkey.server.throttle.LoginThrottle;
import dev.latchkey.server.throttle.LoginThrottle.Admission;
import dev.latchkey.server.throttle.LoginThrottle.Reservation;
import dev.latchkey.server.throttle.TypedEmail;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.Account;
import dev.latchkey.server.users.AuthenticatedUser;
import dev.latchkey.server.users.Users;
import java.util.Map;
import java.util.Optional;

/**
 * Signing in with a passkey, one more way through the sign-in flow of {@link SignIn} (its outcomes,
 * throttle, pending sign-ins and session start): passwordless, or as the second step of a pending
 * sign-in. Like a password or a code: a place reserved on the login throttle before the assertion
 * is judged (by the account of the credential it names and the device's cookie for it, always by
 * the address), a refused assertion stays counted (and counts against the pending sign-in), a
 * passed one clears the counters and starts the session through {@link SessionStart}, whose tokens
 * say {@code hwk} or {@code swk} and {@code mfa}.
 */
public final class PasskeySignIn {
  private final LoginThrottle throttle;
  private final DeviceCookies devices;
  private final Users users;
  private final boolean requireVerifiedEmail;
  private final Audit audit;
  private final SignInEvents events;
  private final Passkeys passkeys;
  private final PendingSignIns pending;
  private final SessionStart sessionStart;

  public PasskeySignIn(
      LoginThrottle throttle,
      DeviceCookies devices,
      Users users,
      boolean requireVerifiedEmail,
      Sessions sessions,
      TokenIssuer tokens,
      Audit audit,
      SignInEvents events,
      Passkeys passkeys,
      PendingSignIns pending) {
    this.throttle = throttle;
    this.devices = devices;
    this.users = users;
    this.requireVerifiedEmail = requireVerifiedEmail;
    this.audit = audit;
    this.events = events;
    this.passkeys = passkeys;
    this.pending = pending;
    this.sessionStart = new SessionStart(sessions, tokens, devices, audit);
  }

  /** {@code PublicKeyCredentialRequestOptionsJSON} for a passwordless sign-in. */
  public Map<String, Object> loginOptions() {
    return passkeys.loginOptions();
  }

  /**
   * Request options for the second step of a pending sign-in, bound to it: empty when it is not
   * live, not this browser's, or offers no passkey step.
   */
  public Optional<Map<String, Object>> secondStepOptions(String mfaToken, String browserBinding) {
    return pending
        .find(mfaToken, browserBinding)
        .filter(w -> w.methods().contains(SecondFactorMethod.PASSKEY))
        .map(w -> passkeys.secondStepOptions(w.userId(), w.tokenHash()));
  }

  /**
   * Signs in with a passkey alone (user verification required): the session, or {@link
   * InvalidPasskey} (counted), {@link Throttled}.
   *
   * @throws dev.latchkey.server.passkeys.PasskeyException {@code 400 invalid_request} for a body
   *     that is not an assertion's JSON (not counted: nothing was judged)
   */
  public SignInOutcome signIn(PasskeyAttempt attempt) {
    Assertion assertion = passkeys.read(attempt.assertionJson());
    Optional<Account> owner = assertion.ownerId().flatMap(users::account);
    String email = owner.map(Account::email).orElse("");
    SignInOutcome outcome =
        judged(
            attempt,
            email,
            reservation -> {
              PasskeyCheck check = passkeys.check(assertion, null, null);
              if (!(check instanceof PasskeyCheck.Passed passed)
                  || owner.isEmpty()
                  || owner.get().disabled()
                  || (requireVerifiedEmail && !owner.get().emailVerified())) {
                events.passkeySignIn(
                    check instanceof PasskeyCheck.Passed ? "account_refused" : "refused");
                return new InvalidPasskey(); // the reserved place stays counted
              }
              throttle.succeeded(reservation);
              events.passkeySignIn("success");
              return sessionStart.startWithPasskey(
                  user(owner.get()),
                  attempt.client(),
                  attempt.deviceCookie() != null,
                  false,
                  passed.synced());
            });
    if (outcome instanceof Throttled) {
      events.passkeySignIn("throttled");
    }
    events.decided(outcome);
    return outcome;
  }

  /**
   * Finishes a pending sign-in with a passkey: {@link SignInExpired} at once for a pending sign-in
   * that is not live or not this browser's; then as {@link #signIn}, the credential required to be
   * the pending user's and the assertion bound to the pending sign-in by its challenge; a refused
   * assertion counts against the pending sign-in as a wrong code does.
   */
  public SignInOutcome secondStep(PasskeyAttempt attempt) {
    Optional<PendingSignIns.Waiting> found =
        pending
            .find(attempt.mfaToken(), attempt.browserBinding())
            .filter(w -> w.methods().contains(SecondFactorMethod.PASSKEY));
    Optional<Account> account =
        found.flatMap(w -> users.account(w.userId())).filter(a -> !a.disabled());
    if (account.isEmpty()) {
      events.secondStep(SecondFactorMethod.PASSKEY.wireName(), "expired");
      return new SignInExpired();
    }
    PendingSignIns.Waiting waiting = found.get();
    Assertion assertion = passkeys.read(attempt.assertionJson());
    SignInOutcome outcome =
        judged(
            attempt,
            account.get().email(),
            reservation -> {
              PasskeyCheck check = passkeys.check(assertion, waiting.userId(), waiting.tokenHash());
              if (!(check instanceof PasskeyCheck.Passed passed)) {
                pending.failed(waiting.tokenHash()); // the reserved place stays counted
                events.secondStep(SecondFactorMethod.PASSKEY.wireName(), "refused");
                return new InvalidPasskey();
              }
              if (!pending.complete(waiting.tokenHash())) { // another request finished it first
                throttle.release(reservation);
                events.secondStep(SecondFactorMethod.PASSKEY.wireName(), "expired");
                return new SignInExpired();
              }
              throttle.succeeded(reservation);
              events.secondStep(SecondFactorMethod.PASSKEY.wireName(), "success");
              // the password step found the address verified and the factor on
              return sessionStart.startWithPasskey(
                  new AuthenticatedUser(waiting.userId(), account.get().email(), true, true),
                  attempt.client(),
                  attempt.deviceCookie() != null,
                  true,
                  passed.synced());
            });
    if (outcome instanceof Throttled) {
      events.secondStep(SecondFactorMethod.PASSKEY.wireName(), "throttled");
    }
    events.decided(outcome);
    return outcome;
  }

  /** What is judged with a place reserved; a failure gives the place back. */
  private interface Judgement {
    SignInOutcome judge(Reservation reservation);
  }

  private SignInOutcome judged(PasskeyAttempt attempt, String email, Judgement judgement) {
    String deviceId = email.isEmpty() ? null : devices.deviceIdFor(attempt.deviceCookie(), email);
    Admission admission = throttle.reserve(email, attempt.client(), deviceId);
    if (admission instanceof Admission.Refused locked) {
      audit.record(
          AuditEvent.LOGIN_THROTTLED,
          "email",
          TypedEmail.of(email),
          "client",
          attempt.client(),
          "device_cookie",
          attempt.deviceCookie() != null,
          "step",
          attempt.mfaToken() == null ? "passkey" : "passkey_second_factor",
          "retry_after_seconds",
          locked.retryAfter().toSeconds());
      return new Throttled(locked.retryAfter());
    }
    Reservation reservation = ((Admission.Admitted) admission).reservation();
    try {
      return judgement.judge(reservation);
    } catch (RuntimeException e) {
      throttle.release(reservation);
      throw e;
    }
  }

  private static AuthenticatedUser user(Account account) {
    return new AuthenticatedUser(account.id(), account.email(), account.emailVerified(), true);
  }
}
