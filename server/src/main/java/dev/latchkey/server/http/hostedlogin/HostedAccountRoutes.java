package dev.latchkey.server.http.hostedlogin;

import dev.latchkey.server.accounts.Accounts;
import dev.latchkey.server.hosted.AccountPages;
import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.CsrfToken;
import dev.latchkey.server.http.exchange.Failures;
import dev.latchkey.server.http.exchange.RequestAddress;
import dev.latchkey.server.signin.PasswordCheck;
import dev.latchkey.server.signin.SignIn;
import dev.latchkey.server.signin.SignInOutcome.Refusal;
import dev.latchkey.server.users.HashingPool;
import dev.latchkey.server.users.PasswordPolicy;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The hosted account pages beside the login page: {@code /login/forgot-password}, {@code
 * /login/reset-password} and {@code /login/verify-email} (GET renders, POST acts), with the same
 * CSRF cookie as the login form. The answers say no more than the JSON API's.
 */
public final class HostedAccountRoutes {
  private static final String EXPIRED =
      "This form has expired or was not sent from this page. Please try again.";

  private final Accounts accounts;
  private final HashingPool hashing;
  private final BrowserCookies cookies;
  private final SignIn signIn;
  private final RequestAddress clientAddress;
  private final String csp = AccountPages.contentSecurityPolicy();

  public HostedAccountRoutes(
      Accounts accounts,
      HashingPool hashing,
      BrowserCookies cookies,
      SignIn signIn,
      RequestAddress clientAddress) {
    this.accounts = accounts;
    this.hashing = hashing;
    this.cookies = cookies;
    this.signIn = signIn;
    this.clientAddress = clientAddress;
  }

  public void showForgot(Context ctx) {
    pageHeaders(ctx);
    ctx.status(200).html(AccountPages.forgot(csrf(ctx), null));
  }

  public void submitForgot(Context ctx) {
    pageHeaders(ctx);
    Map<String, List<String>> form = form(ctx);
    if (!csrfMatches(ctx, form)) {
      ctx.status(403).html(AccountPages.done("Forgot your password?", EXPIRED));
      return;
    }
    accounts.requestPasswordReset(field(form, "email"));
    ctx.status(200)
        .html(
            AccountPages.forgot(
                csrf(ctx),
                "If this address has an account, a link to set a new password is on its way."));
  }

  public void showReset(Context ctx) {
    pageHeaders(ctx);
    ctx.status(200).html(AccountPages.reset(csrf(ctx), "", null));
  }

  public void submitReset(Context ctx) {
    pageHeaders(ctx);
    Map<String, List<String>> form = form(ctx);
    String token = field(form, "token");
    if (!csrfMatches(ctx, form)) {
      ctx.status(403).html(AccountPages.reset(csrf(ctx), token, EXPIRED));
      return;
    }
    char[] password = field(form, "password").toCharArray();
    ctx.future(
        () ->
            hashing
                .withPassword(password, p -> accounts.confirmPasswordReset(token, p))
                .handle(
                    (done, error) -> {
                      if (error == null) {
                        ctx.status(200)
                            .html(
                                AccountPages.done(
                                    "Password set",
                                    "Your new password is set and every session was ended."
                                        + " Sign in with it."));
                      } else {
                        ApiError answer = failed(ctx, error);
                        ctx.html(AccountPages.reset(csrf(ctx), token, message(answer)));
                      }
                      return null;
                    }));
  }

  public void showVerify(Context ctx) {
    pageHeaders(ctx);
    ctx.status(200).html(AccountPages.verify(csrf(ctx), "", null));
  }

  public void submitVerify(Context ctx) {
    pageHeaders(ctx);
    Map<String, List<String>> form = form(ctx);
    String token = field(form, "token");
    if (!csrfMatches(ctx, form)) {
      ctx.status(403).html(AccountPages.verify(csrf(ctx), token, EXPIRED));
      return;
    }
    char[] password = field(form, "password").toCharArray();
    ctx.future(
        () ->
            checkThenConfirm(ctx, token, password)
                .handle(
                    (outcome, error) -> {
                      if (error == null && !(outcome instanceof Refusal)) {
                        ctx.status(200)
                            .html(
                                AccountPages.done(
                                    "Email confirmed", "Your email is confirmed. Sign in."));
                        return null;
                      }
                      ApiError answer =
                          error == null
                              ? Failures.answerForPasswordCheck((Refusal) outcome)
                              : Failures.answerFor(ctx, error);
                      answer.headers().forEach(ctx::header);
                      ctx.status(answer.status());
                      ctx.html(AccountPages.verify(csrf(ctx), token, message(answer)));
                      return null;
                    }));
  }

  /** The link's account, its password checked as the JSON API does, then the address confirmed. */
  private CompletableFuture<PasswordCheck> checkThenConfirm(
      Context ctx, String token, char[] password) {
    try {
      String userId = accounts.accountToVerify(token);
      return signIn.checkPassword(
          userId,
          password,
          clientAddress.of(ctx),
          checked -> accounts.confirmEmail(token, checked.id()));
    } catch (RuntimeException e) {
      Arrays.fill(password, '\0');
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The failure mapping's status and headers for a failure (a {@code 503} keeps its {@code
   * Retry-After}); the caller renders the page with them.
   */
  private static ApiError failed(Context ctx, Throwable error) {
    ApiError answer = Failures.answerFor(ctx, error);
    answer.headers().forEach(ctx::header);
    ctx.status(answer.status());
    return answer;
  }

  private static String message(ApiError answer) {
    return PageMessages.forAccountPage(answer);
  }

  private String csrf(Context ctx) {
    return CsrfToken.forForm(cookies, ctx);
  }

  private boolean csrfMatches(Context ctx, Map<String, List<String>> form) {
    return CsrfToken.matches(cookies.hostedLoginCsrf(ctx), field(form, "csrf"));
  }

  private void pageHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", csp);
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    Caching.noStore(ctx);
  }

  private static Map<String, List<String>> form(Context ctx) {
    String type = ctx.header("Content-Type");
    String mime = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!mime.equals("application/x-www-form-urlencoded")) {
      throw new ApiError(
          415, "unsupported_media_type", "Send the form as application/x-www-form-urlencoded.");
    }
    return ctx.formParamMap();
  }

  private static String field(Map<String, List<String>> form, String name) {
    List<String> values = form.getOrDefault(name, List.of());
    if (values.size() > 1) {
      throw ApiError.badRequest("Field '" + name + "' is repeated.");
    }
    String value = values.isEmpty() || values.get(0) == null ? "" : values.get(0);
    if (value.length() > PasswordPolicy.MAX_LENGTH) {
      throw ApiError.badRequest("Field '" + name + "' is too long.");
    }
    return value;
  }
}
