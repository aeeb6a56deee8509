package dev.latchkey.server.http.signup;

import dev.latchkey.server.accounts.Accounts;
import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.Credentials;
import dev.latchkey.server.http.exchange.Json;
import dev.latchkey.server.http.exchange.RequestAddress;
import dev.latchkey.server.users.EmailAddress;
import dev.latchkey.server.users.HashingPool;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code POST /api/signup {"email", "password"}}: {@code 201} with the same answer whether or not
 * the email already had an account (its owner gets a mail instead, see {@link Accounts#signUp});
 * {@code 429 too_many_signups} with {@code Retry-After} when the client address made {@code
 * --signup-limit} sign-ups in the window; {@code 404} while signup is off.
 */
public final class SignupRoute {
  private static final Map<String, String> CREATED =
      Map.of(
          "status",
          "created",
          "message",
          "If this email can be used, we have sent a mail to it: follow it to finish.");

  private final boolean enabled;
  private final Accounts accounts;
  private final HashingPool hashing;
  private final RequestAddress clientAddress;

  public SignupRoute(
      boolean enabled, Accounts accounts, HashingPool hashing, RequestAddress clientAddress) {
    this.enabled = enabled;
    this.accounts = accounts;
    this.hashing = hashing;
    this.clientAddress = clientAddress;
  }

  public void handle(Context ctx) {
    if (!enabled) {
      throw ApiError.notFound();
    }
    Credentials credentials = Credentials.read(ctx);
    String email = credentials.email();
    char[] password = credentials.password().toCharArray();
    Caching.noStore(ctx);
    if (EmailAddress.parse(email).isEmpty()) {
      throw new ApiError(400, "invalid_email", "This is not a valid email address.");
    }
    // 400 weak_password, then 429 too_many_signups beyond the limit
    accounts.admitSignup(clientAddress.of(ctx), email, password);
    ctx.future(
        () ->
            hashing
                .withPassword(password, p -> accounts.signUp(email, p))
                .thenAccept(created -> Json.write(ctx, 201, CREATED)));
  }
}
