package dev.latchkey.server.http.login;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.sessions.SessionTokens;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.throttle.DeviceCookies;
import dev.latchkey.server.throttle.LoginThrottle;
import dev.latchkey.server.throttle.LoginThrottle.Admission;
import dev.latchkey.server.throttle.LoginThrottle.Reservation;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.AuthenticatedUser;
import dev.latchkey.server.users.HashingPool;
import dev.latchkey.server.users.Users;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The one way a password becomes a session, for {@code POST /api/login} and the hosted login page
 * alike: the attempt reserves its place in the brute-force throttle before any hashing (judged by
 * the device's counter when it shows a valid device cookie for the account, else by the account's;
 * always by the address's), the hash runs on the bounded pool (an unknown email pays the same), and
 * a success clears the account's or device's count, starts a session and earns a new device cookie.
 */
public final class PasswordLogin {

  /** The password check failed; one generic answer whatever the reason. */
  public static final ApiError INVALID_CREDENTIALS =
      new ApiError(401, "invalid_credentials", "The email or password is incorrect.");

  /** The password was right but the email is not verified yet: told only after the check. */
  public static final ApiError EMAIL_NOT_VERIFIED =
      new ApiError(
          403,
          "email_not_verified",
          "Confirm your email address first: open the link we sent, or ask for a new one.");

  private final LoginThrottle throttle;
  private final DeviceCookies devices;
  private final Users users;
  private final Sessions sessions;
  private final TokenIssuer tokens;
  private final HashingPool hashing;
  private final Predicate<AuthenticatedUser> mayLogIn;
  private final Audit audit;

  public PasswordLogin(
      LoginThrottle throttle,
      DeviceCookies devices,
      Users users,
      Sessions sessions,
      TokenIssuer tokens,
      HashingPool hashing,
      Predicate<AuthenticatedUser> mayLogIn,
      Audit audit) {
    this.audit = audit;
    this.throttle = throttle;
    this.devices = devices;
    this.users = users;
    this.sessions = sessions;
    this.tokens = tokens;
    this.hashing = hashing;
    this.mayLogIn = mayLogIn;
  }

  /** A successful login: the session and the device cookie value the browser gets with it. */
  public record Success(SessionTokens session, String deviceCookie) {}

  /**
   * Checks the password off the request thread. The password array is wiped when done.
   *
   * @param deviceCookie the request's device cookie value, or null
   * @throws TooManyAttempts at once, without hashing, when a counter it is judged by is locked
   * @throws HashingPool.Saturated at once, when the hashing pool is full
   * @return the new session, or a future failed with {@link #INVALID_CREDENTIALS}, {@link
   *     HashingPool.Saturated} or a store failure
   */
  public CompletableFuture<Success> attempt(
      String email, char[] password, String client, String deviceCookie) {
    if (hashing.full()) {
      // refused at once, before the throttle's rows are touched and without going asynchronous:
      // under a flood, a 503 costs no database work and as little HTTP work as a 404
      Arrays.fill(password, '\0');
      throw new HashingPool.Saturated();
    }
    String deviceId = devices.deviceIdFor(deviceCookie, email);
    Admission admission = throttle.reserve(email, client, deviceId);
    boolean deviceCookiePresent = deviceCookie != null;
    if (admission instanceof Admission.Refused refused) {
      Arrays.fill(password, '\0');
      audit.record(
          AuditEvent.LOGIN_THROTTLED,
          "email",
          LoginThrottle.typed(email),
          "client",
          client,
          "device_cookie",
          deviceCookiePresent,
          "retry_after_seconds",
          refused.retryAfter().toSeconds());
      throw new TooManyAttempts(refused.retryAfter());
    }
    Reservation reservation = ((Admission.Admitted) admission).reservation();
    try {
      return ReservedHashing.submit(
          hashing,
          throttle,
          reservation,
          () -> {
            try {
              Optional<AuthenticatedUser> user = users.authenticate(email, password);
              if (user.isEmpty()) {
                failed(email, client, deviceCookiePresent, "invalid_credentials");
                throw INVALID_CREDENTIALS; // the reserved place stays counted
              }
              throttle.succeeded(reservation);
              if (!mayLogIn.test(user.get())) {
                failed(email, client, deviceCookiePresent, "email_not_verified");
                throw EMAIL_NOT_VERIFIED;
              }
              SessionTokens session = sessions.start(user.get(), tokens, true);
              audit.record(
                  AuditEvent.LOGIN_SUCCEEDED,
                  "user_id",
                  user.get().id(),
                  "sid",
                  session.access().sid(),
                  "client",
                  client,
                  "device_cookie",
                  deviceCookiePresent);
              return new Success(session, devices.issue(email));
            } finally {
              Arrays.fill(password, '\0');
            }
          });
    } catch (RuntimeException e) {
      Arrays.fill(password, '\0');
      throw e;
    }
  }

  private void failed(String email, String client, boolean deviceCookiePresent, String reason) {
    audit.record(
        AuditEvent.LOGIN_FAILED,
        "email",
        LoginThrottle.typed(email),
        "client",
        client,
        "device_cookie",
        deviceCookiePresent,
        "reason",
        reason);
  }
}
