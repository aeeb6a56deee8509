package dev.latchkey.server.signin;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.mfa.SecondFactorMethod;
import dev.latchkey.server.sessions.SessionTokens;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.signin.SignInOutcome.SignedIn;
import dev.latchkey.server.throttle.DeviceCookies;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.AuthenticatedUser;
import dev.latchkey.verifier.wire.AuthenticationMethods;
import java.util.List;

/**
 * The end of every sign-in, with a password alone, with a second step or with a passkey: the
 * session (its tokens saying how, {@code amr}), the audit line and the device cookie.
 */
final class SessionStart {
  private final Sessions sessions;
  private final TokenIssuer tokens;
  private final DeviceCookies devices;
  private final Audit audit;

  SessionStart(Sessions sessions, TokenIssuer tokens, DeviceCookies devices, Audit audit) {
    this.sessions = sessions;
    this.tokens = tokens;
    this.devices = devices;
    this.audit = audit;
  }

  SignedIn start(
      AuthenticatedUser user, String client, boolean deviceCookieShown, SecondFactorMethod method) {
    return start(
        user,
        client,
        deviceCookieShown,
        amr(method),
        "password",
        method == null ? "none" : method.wireName());
  }

  /**
   * A sign-in with a passkey, alone ({@code afterPassword} false) or as the second step: see {@link
   * #passkeyAmr}.
   */
  SignedIn startWithPasskey(
      AuthenticatedUser user,
      String client,
      boolean deviceCookieShown,
      boolean afterPassword,
      boolean synced) {
    String passkey = SecondFactorMethod.PASSKEY.wireName();
    return start(
        user,
        client,
        deviceCookieShown,
        passkeyAmr(afterPassword, synced),
        afterPassword ? "password" : passkey,
        afterPassword ? passkey : "none");
  }

  private SignedIn start(
      AuthenticatedUser user,
      String client,
      boolean deviceCookieShown,
      List<String> amr,
      String firstFactor,
      String secondFactor) {
    SessionTokens session = sessions.start(user, tokens, true, amr);
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
        "first_factor",
        firstFactor,
        "second_factor",
        secondFactor);
    return new SignedIn(session, devices.issue(user.email()));
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

  /**
   * RFC 8176 values of a passkey sign-in: {@code swk} for a synced passkey (backup eligible: its
   * private key is copied between devices by a password manager or platform keychain), {@code hwk}
   * for a device-bound one (the key never leaves the authenticator); {@code mfa} in both cases:
   * after a password the passkey is the second factor, and alone it was verified by the user (a PIN
   * or biometric unlocking the key, which a passwordless sign-in requires), so it is a multi-factor
   * cryptographic authenticator in itself (NIST SP 800-63B).
   */
  static List<String> passkeyAmr(boolean afterPassword, boolean synced) {
    String key = synced ? AuthenticationMethods.SOFTWARE_KEY : AuthenticationMethods.HARDWARE_KEY;
    return afterPassword
        ? List.of(AuthenticationMethods.PASSWORD, key, AuthenticationMethods.MULTI_FACTOR)
        : List.of(key, AuthenticationMethods.MULTI_FACTOR);
  }
}
