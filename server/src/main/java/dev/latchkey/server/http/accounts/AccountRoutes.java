package dev.latchkey.server.http.accounts;

import dev.latchkey.server.accounts.Accounts;
import dev.latchkey.server.delivery.SessionTokenVerifier;
import dev.latchkey.server.http.exchange.Async;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.Failures;
import dev.latchkey.server.http.exchange.Json;
import dev.latchkey.server.http.exchange.RequestAddress;
import dev.latchkey.server.http.exchange.SignedInUsers;
import dev.latchkey.server.http.exchange.SignedInUsers.SignedInUser;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.signin.PasswordCheck;
import dev.latchkey.server.signin.SignIn;
import dev.latchkey.server.signin.SignInOutcome.Refusal;
import dev.latchkey.server.users.HashingPool;
import dev.latchkey.server.users.PasswordPolicy;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The account endpoints. Requests that name an address answer {@code 202} whatever the address;
 * requests with a link's token answer {@code 400} with {@code invalid_token}, {@code
 * token_expired}, {@code token_used} or {@code token_superseded} when the link does not work.
 *
 * <ul>
 *   <li>{@code POST /api/email-verification {"email"}} sends the verification link again
 *   <li>{@code POST /api/email-verification/confirm {"token"}} verifies the address
 *   <li>{@code POST /api/password-reset {"email"}} mails a reset link
 *   <li>{@code POST /api/password-reset/confirm {"token", "password"}} sets the password, ends
 *       every session
 *   <li>{@code POST /api/password {"currentPassword", "newPassword"}} (logged in) changes it, ends
 *       the other sessions
 * </ul>
 */
public final class AccountRoutes {
  private static final int TOKEN_MAX = 100;
  private static final Map<String, String> ACCEPTED_VERIFICATION =
      Map.of(
          "status",
          "accepted",
          "message",
          "If this address has an account waiting for verification, a new link is on its way.");
  private static final Map<String, String> ACCEPTED_RESET =
      Map.of(
          "status",
          "accepted",
          "message",
          "If this address has an account, a link to reset its password is on its way.");
  private static final Map<String, String> PASSWORD_CHANGED =
      Map.of(
          "status",
          "password_changed",
          "message",
          "Your password is changed; your other sessions were ended.");

  private final Accounts accounts;
  private final HashingPool hashing;
  private final SignIn signIn;
  private final SignedInUsers signedInUsers;
  private final RequestAddress clientAddress;

  public AccountRoutes(
      Accounts accounts,
      HashingPool hashing,
      SignIn signIn,
      Sessions sessions,
      SessionTokenVerifier ownTokens,
      BrowserCookies cookies,
      RequestAddress clientAddress) {
    this.accounts = accounts;
    this.hashing = hashing;
    this.signIn = signIn;
    this.signedInUsers = new SignedInUsers(ownTokens, cookies, sessions);
    this.clientAddress = clientAddress;
  }

  public void resendVerification(Context ctx) {
    String email =
        Json.readStringFields(ctx, Set.of("email"), PasswordPolicy.MAX_LENGTH).get("email");
    Caching.noStore(ctx);
    accounts.resendVerification(email);
    Json.write(ctx, 202, ACCEPTED_VERIFICATION);
  }

  public void confirmEmail(Context ctx) {
    String token = Json.readStringFields(ctx, Set.of("token"), TOKEN_MAX).get("token");
    Caching.noStore(ctx);
    accounts.confirmEmail(token);
    Json.write(
        ctx, 200, Map.of("status", "verified", "message", "Your email is verified: log in."));
  }

  public void requestReset(Context ctx) {
    String email =
        Json.readStringFields(ctx, Set.of("email"), PasswordPolicy.MAX_LENGTH).get("email");
    Caching.noStore(ctx);
    accounts.requestPasswordReset(email);
    Json.write(ctx, 202, ACCEPTED_RESET);
  }

  public void confirmReset(Context ctx) {
    Map<String, String> body =
        Json.readStringFields(ctx, Set.of("token", "password"), PasswordPolicy.MAX_LENGTH);
    Caching.noStore(ctx);
    String token = body.get("token");
    char[] password = body.get("password").toCharArray();
    ctx.future(
        () ->
            hashing
                .withPassword(password, p -> accounts.confirmPasswordReset(token, p))
                .thenAccept(
                    done ->
                        Json.write(
                            ctx,
                            200,
                            Map.of(
                                "status",
                                "password_set",
                                "message",
                                "Your password is set and every session was ended: log in."))));
  }

  public void changePassword(Context ctx) {
    SignedInUser user = signedInUsers.require(ctx);
    Map<String, String> body =
        Json.readStringFields(
            ctx, Set.of("currentPassword", "newPassword"), PasswordPolicy.MAX_LENGTH);
    Caching.noStore(ctx);
    char[] fresh = body.get("newPassword").toCharArray();
    CompletableFuture<PasswordCheck> check =
        signIn.checkPassword(
            user.userId(),
            body.get("currentPassword").toCharArray(),
            clientAddress.of(ctx),
            checked -> accounts.changePassword(user.userId(), user.sid(), fresh));
    Async.answer(
        ctx,
        check
            .whenComplete((done, error) -> Arrays.fill(fresh, '\0'))
            .thenAccept(
                outcome -> {
                  if (outcome instanceof Refusal refusal) {
                    throw Failures.answerForPasswordCheck(refusal);
                  }
                  Json.write(ctx, 200, PASSWORD_CHANGED);
                }));
  }
}
