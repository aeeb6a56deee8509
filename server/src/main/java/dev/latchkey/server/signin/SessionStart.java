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
 * The end of every sign-in, with a password alone or with a second step: the session (its tokens
 * saying how, {@code amr}), the audit line and the device cookie.
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

  /** The session, bound to the DPoP key with thumbprint {@code dpopKey} (null: a bearer one). */
  SignedIn start(
      AuthenticatedUser user,
      String client,
      boolean deviceCookieShown,
      SecondFactorMethod method,
      String dpopKey) {
    SessionTokens session = sessions.start(user, tokens, true, amr(method), dpopKey);
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
        method == null ? "none" : method.wireName(),
        "dpop",
        dpopKey != null);
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
}
