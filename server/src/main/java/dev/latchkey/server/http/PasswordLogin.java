package dev.latchkey.server.http;

import dev.latchkey.server.AuthStore;
import dev.latchkey.server.sessions.SessionTokens;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.AuthenticatedUser;
import dev.latchkey.server.users.HashingPool;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The one way a password becomes a session, for {@code POST /api/login} and the hosted login page
 * alike: the brute-force throttle is asked before any hashing, the hash runs on the bounded pool
 * (an unknown email pays the same), failures are counted, and a success resets the account's count
 * and starts a session.
 */
final class PasswordLogin {

  /** The password check failed; one generic answer whatever the reason. */
  static final ApiError INVALID_CREDENTIALS =
      new ApiError(401, "invalid_credentials", "The email or password is incorrect.");

  private final AuthStore store;
  private final TokenIssuer tokens;
  private final HashingPool hashing;

  PasswordLogin(AuthStore store, TokenIssuer tokens, HashingPool hashing) {
    this.store = store;
    this.tokens = tokens;
    this.hashing = hashing;
  }

  /**
   * Checks the password off the request thread. The password array is wiped when done.
   *
   * @throws TooManyAttempts at once, without hashing, when the account or the client is locked
   * @return the new session, or a future failed with {@link #INVALID_CREDENTIALS}, {@link
   *     HashingPool.Saturated} or a store failure
   */
  CompletableFuture<SessionTokens> attempt(String email, char[] password, String client) {
    Optional<Duration> wait = store.throttle().check(email, client);
    if (wait.isPresent()) {
      Arrays.fill(password, '\0');
      throw new TooManyAttempts(wait.get());
    }
    return hashing.submit(
        () -> {
          try {
            Optional<AuthenticatedUser> user = store.users().authenticate(email, password);
            if (user.isEmpty()) {
              store.throttle().recordFailure(email, client);
              throw INVALID_CREDENTIALS;
            }
            store.throttle().recordSuccess(email);
            return store.sessions().start(user.get(), tokens, true);
          } finally {
            Arrays.fill(password, '\0');
          }
        });
  }
}
