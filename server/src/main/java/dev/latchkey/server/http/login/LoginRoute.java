package dev.latchkey.server.http.login;

import dev.latchkey.server.http.exchange.Async;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.Credentials;
import dev.latchkey.server.http.exchange.Failures;
import dev.latchkey.server.http.exchange.RequestAddress;
import dev.latchkey.server.http.exchange.SessionAnswer;
import dev.latchkey.server.signin.PasswordAttempt;
import dev.latchkey.server.signin.SignIn;
import dev.latchkey.server.signin.SignInOutcome;
import dev.latchkey.server.signin.SignInOutcome.SignedIn;
import io.javalin.http.Context;

/**
 * {@code POST /api/login {"email", "password"}}: the session in the configured delivery mode, or
 * the failure mapping's answer to the outcome ({@code 401 invalid_credentials}, (also for an
 * unverified account whose password is right), {@code 429 too_many_attempts}, {@code 503 busy}).
 */
public final class LoginRoute {
  private final SignIn signIn;
  private final RequestAddress clientAddress;
  private final BrowserCookies cookies;
  private final SessionAnswer answer;

  public LoginRoute(
      SignIn signIn, RequestAddress clientAddress, BrowserCookies cookies, SessionAnswer answer) {
    this.signIn = signIn;
    this.clientAddress = clientAddress;
    this.cookies = cookies;
    this.answer = answer;
  }

  public void handle(Context ctx) {
    Credentials credentials = Credentials.read(ctx);
    Caching.noStore(ctx);
    PasswordAttempt attempt =
        new PasswordAttempt(
            credentials.email(),
            credentials.password().toCharArray(),
            clientAddress.of(ctx),
            cookies.deviceCookie(ctx));
    Async.answer(ctx, signIn.signIn(attempt).thenAccept(outcome -> answer(ctx, outcome)));
  }

  private void answer(Context ctx, SignInOutcome outcome) {
    if (!(outcome instanceof SignedIn signedIn)) {
      throw Failures.answerFor(outcome);
    }
    cookies.setOnLogin(ctx, signedIn.session());
    cookies.setDevice(ctx, signedIn.deviceCookie());
    answer.write(ctx, signedIn.session().access().token(), signedIn.session().access().expiresIn());
  }
}
