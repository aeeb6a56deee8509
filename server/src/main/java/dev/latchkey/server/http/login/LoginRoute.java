package dev.latchkey.server.http.login;

import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.Credentials;
import dev.latchkey.server.http.exchange.SessionAnswer;
import dev.latchkey.server.sessions.SessionTokens;
import io.javalin.http.Context;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /api/login {"email", "password"}}: the session in the configured delivery mode, or
 * {@code 401 invalid_credentials}, {@code 429 too_many_attempts}, {@code 503 busy}.
 */
public final class LoginRoute {
  private final PasswordLogin passwordLogin;
  private final RequestAddress clientAddress;
  private final BrowserCookies cookies;
  private final SessionAnswer answer;

  public LoginRoute(
      PasswordLogin passwordLogin,
      RequestAddress clientAddress,
      BrowserCookies cookies,
      SessionAnswer answer) {
    this.passwordLogin = passwordLogin;
    this.clientAddress = clientAddress;
    this.cookies = cookies;
    this.answer = answer;
  }

  public void handle(Context ctx) {
    Credentials credentials = Credentials.read(ctx);
    Caching.noStore(ctx);
    CompletableFuture<PasswordLogin.Success> attempt =
        passwordLogin.attempt(
            credentials.email(),
            credentials.password().toCharArray(),
            clientAddress.of(ctx),
            cookies.deviceCookie(ctx));
    ctx.future(
        () ->
            attempt.thenAccept(
                success -> {
                  SessionTokens login = success.session();
                  cookies.setOnLogin(ctx, login);
                  cookies.setDevice(ctx, success.deviceCookie());
                  answer.write(ctx, login.access().token(), login.access().expiresIn());
                }));
  }
}
