package dev.latchkey.server.http.accounts;

import dev.latchkey.server.accounts.Accounts;
import dev.latchkey.server.http.exchange.Async;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.Failures;
import dev.latchkey.server.http.exchange.Json;
import dev.latchkey.server.http.exchange.RequestAddress;
import dev.latchkey.server.http.exchange.SessionAnswer;
import dev.latchkey.server.http.exchange.SignedInUsers;
import dev.latchkey.server.http.exchange.SignedInUsers.SignedInUser;
import dev.latchkey.server.sessions.SessionTokens;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.signin.PasswordCheck;
import dev.latchkey.server.signin.SignIn;
import dev.latchkey.server.signin.SignInOutcome.Refusal;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.HashingPool;
import dev.latchkey.server.users.PasswordPolicy;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The account endpoints. Requests that name an address answer {@code 202} whatever the address;
 * requests with a link's token answer {@code 400} with {@code invalid_token}, {@code
 * token_expired}, {@code token_used} or {@code token_superseded} when the link does not work.
 *
 * <ul>
 *   <li>{@code POST /api/email-verification {"email"}} sends the verification link again
 *   <li>{@code POST /api/email-verification/confirm {"token", "password"}} verifies the address
 *       when the password is the account's (the one chosen at sign-up): {@code 403 wrong_password}
 *       otherwise, counted by the login throttle
 *   <li>{@code POST /api/password-reset {"email"}} mails a reset link
 *   <li>{@code POST /api/password-reset/confirm {"token", "password"}} sets the password, ends
 *       every session
 *   <li>{@code POST /api/password {"currentPassword", "newPassword"}} (logged in) changes it, ends
 *       every session and answers with a new one, as a login does
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
  private static final Map<String, String> VERIFIED =
      Map.of("status", "verified", "message", "Your email is verified: log in.");
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
          "Your password is changed; every session was ended and this one started anew.");

  private final Accounts accounts;
  private final HashingPool hashing;
  private final SignIn signIn;
  private final Sessions sessions;
  private final BrowserCookies cookies;
  private final SignedInUsers signedInUsers;
  private final RequestAddress clientAddress;
  private final TokenIssuer tokens;
  private final SessionAnswer answer;

  public AccountRoutes(
      Accounts accounts,
      HashingPool hashing,
      SignIn signIn,
      Sessions sessions,
      SignedInUsers signedInUsers,
      BrowserCookies cookies,
      RequestAddress clientAddress,
      TokenIssuer tokens,
      SessionAnswer answer) {
    this.accounts = accounts;
    this.hashing = hashing;
    this.signIn = signIn;
    this.sessions = sessions;
    this.cookies = cookies;
    this.signedInUsers = signedInUsers;
    this.clientAddress = clientAddress;
    this.tokens = tokens;
    this.answer = answer;
  }

  public void resendVerification(Context ctx) {
    String email =
        Json.readStringFields(ctx, Set.of("email"), PasswordPolicy.MAX_LENGTH).get("email");
    Caching.noStore(ctx);
    accounts.resendVerification(email);
    Json.write(ctx, 202, ACCEPTED_VERIFICATION);
  }

  public void confirmEmail(Context ctx) {
    Map<String, String> body =
        Json.readStringFields(ctx, Set.of("token", "password"), PasswordPolicy.MAX_LENGTH);
    Caching.noStore(ctx);
    String token = body.get("token");
    String userId = accounts.accountToVerify(token);
    Async.answer(
        ctx,
        signIn
            .checkPassword(
                userId,
                body.get("password").toCharArray(),
                clientAddress.of(ctx),
                checked -> accounts.confirmEmail(token, checked.id()))
            .thenAccept(
                outcome -> {
                  if (outcome instanceof Refusal refusal) {
                    throw Failures.answerForPasswordCheck(refusal);
                  }
                  Json.write(ctx, 200, VERIFIED);
                }));
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
    AtomicReference<SessionTokens> started = new AtomicReference<>();
    CompletableFuture<PasswordCheck> check =
        signIn.checkPassword(
            user.userId(),
            body.get("currentPassword").toCharArray(),
            clientAddress.of(ctx),
            checked -> {
              accounts.changePassword(user.userId(), fresh);
              // the old session was revoked with the others: the browser that asked goes on in
              // a new one, so that a stolen copy of the old tokens ends here; it was signed in as
              // the asking session was (amr), the password having just been proved again
              // (and bound to the asking session's key, whose proof came with the request)
              started.set(sessions.start(checked, tokens, true, user.amr(), user.dpopKey()));
            });
    Async.answer(
        ctx,
        check
            .whenComplete((done, error) -> Arrays.fill(fresh, '\0'))
            .thenAccept(
                outcome -> {
                  if (outcome instanceof Refusal refusal) {
                    throw Failures.answerForPasswordCheck(refusal);
                  }
                  SessionTokens session = started.get();
                  cookies.setOnLogin(ctx, session);
                  answer.write(
                      ctx,
                      session.access().token(),
                      session.access().bound(),
                      session.access().expiresIn(),
                      PASSWORD_CHANGED);
                }));
  }
}
