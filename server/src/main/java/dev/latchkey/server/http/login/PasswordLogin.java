package dev.latchkey.server.http.login;

import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.sessions.SessionTokens;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.throttle.LoginThrottle;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.AuthenticatedUser;
import dev.latchkey.server.users.HashingPool;
import dev.latchkey.server.users.Users;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The one way a password becomes a session, for {@code POST /api/login} and the hosted login page
 * alike: the brute-force throttle is asked before any hashing, the hash runs on the bounded pool
 * (an unknown email pays the same), failures are counted, and a success resets the account's count
 * and starts a session.
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
  private final Users users;
  private final Sessions sessions;
  private final TokenIssuer tokens;
  private final HashingPool hashing;
  private final Predicate<AuthenticatedUser> mayLogIn;

  public PasswordLogin(
      LoginThrottle throttle,
      Users users,
      Sessions sessions,
      TokenIssuer tokens,
      HashingPool hashing,
      Predicate<AuthenticatedUser> mayLogIn) {
    this.throttle = throttle;
    this.users = users;
    this.sessions = sessions;
    this.tokens = tokens;
    this.hashing = hashing;
    this.mayLogIn = mayLogIn;
  }

  /**
   * Checks the password off the request thread. The password array is wiped when done.
   *
   * @throws TooManyAttempts at once, without hashing, when the account or the client is locked
   * @return the new session, or a future failed with {@link #INVALID_CREDENTIALS}, {@link
   *     HashingPool.Saturated} or a store failure
   */
  public CompletableFuture<SessionTokens> attempt(String email, char[] password, String client) {
    Optional<Duration> wait = throttle.check(email, client);
    if (wait.isPresent()) {
      Arrays.fill(password, '\0');
      throw new TooManyAttempts(wait.get());
    }
    return hashing.submit(
        () -> {
          try {
            Optional<AuthenticatedUser> user = users.authenticate(email, password);
            if (user.isEmpty()) {
              throttle.recordFailure(email, client);
              throw INVALID_CREDENTIALS;
            }
            throttle.recordSuccess(email);
            if (!mayLogIn.test(user.get())) {
              throw EMAIL_NOT_VERIFIED;
            }
            return sessions.start(user.get(), tokens, true);
          } finally {
            Arrays.fill(password, '\0');
          }
        });
  }
}
