package dev.latchkey.server.http;

import dev.latchkey.server.hosted.CsrfCookie;
import dev.latchkey.server.hosted.LoginPage;
import dev.latchkey.server.hosted.ReturnToPolicy;
import dev.latchkey.server.sessions.SessionTokens;
import dev.latchkey.server.store.StoreUnavailableException;
import dev.latchkey.server.users.HashingPool;
import dev.latchkey.server.users.PasswordPolicy;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 5: the hosted login page. {@code GET /login?return_to=URL} renders the form; {@code POST
 * /login} checks the password exactly as {@code POST /api/login} does (same hashing pool, same
 * generic failure, same cost for an unknown email), sets the session cookies and answers {@code
 * 303} to the allowed {@code return_to} or the default target. Every answer is HTML.
 */
final class HostedLoginEndpoints {
  private static final Logger log = LoggerFactory.getLogger(HostedLoginEndpoints.class);
  private static final String INVALID = "The email or password is incorrect.";
  private static final String EXPIRED =
      "This sign-in form has expired or was not sent from this page. Please sign in again.";
  private static final int MAX_FIELD = PasswordPolicy.MAX_LENGTH;

  private final PasswordLogin passwordLogin;
  private final Function<Context, String> clientAddress;
  private final BiConsumer<Context, SessionTokens> setLoginCookies;
  private final CsrfCookie csrf;
  private final ReturnToPolicy returnTo;
  private final String csp;

  HostedLoginEndpoints(
      PasswordLogin passwordLogin,
      Function<Context, String> clientAddress,
      BiConsumer<Context, SessionTokens> setLoginCookies,
      CsrfCookie csrf,
      ReturnToPolicy returnTo) {
    this.passwordLogin = passwordLogin;
    this.clientAddress = clientAddress;
    this.setLoginCookies = setLoginCookies;
    this.csrf = csrf;
    this.returnTo = returnTo;
    this.csp = LoginPage.contentSecurityPolicy(returnTo.redirectOrigins());
  }

  /** {@code GET /login}: the form, with a CSRF token in a cookie and a hidden field. */
  void show(Context ctx) {
    pageHeaders(ctx);
    String target = returnTo.allowed(ctx.queryParam("return_to")).orElse("");
    render(ctx, 200, "", target, null);
  }

  /** {@code GET /login/done}: the default target when no application is configured. */
  void done(Context ctx) {
    pageHeaders(ctx);
    ctx.status(200).html(LoginPage.signedIn());
  }

  /** {@code POST /login}. */
  void submit(Context ctx) {
    pageHeaders(ctx);
    String type = ctx.header("Content-Type");
    String mime = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!mime.equals("application/x-www-form-urlencoded")) {
      throw new ApiError(
          415, "unsupported_media_type", "Send the form as application/x-www-form-urlencoded.");
    }
    Map<String, List<String>> form = ctx.formParamMap();
    String email = field(form, "email", MAX_FIELD);
    String password = field(form, "password", MAX_FIELD);
    // An overlong return_to is not an error of the user: it just goes to the default target.
    String postedReturnTo = field(form, "return_to", Integer.MAX_VALUE);
    String token = field(form, "csrf", 64);
    String target = returnTo.allowed(postedReturnTo).orElse("");

    if (!CsrfCookie.matches(ctx.cookie(csrf.name()), token)) {
      render(ctx, 403, email, target, EXPIRED);
      return;
    }
    CompletableFuture<SessionTokens> attempt;
    try {
      attempt = passwordLogin.attempt(email, password.toCharArray(), clientAddress.apply(ctx));
    } catch (TooManyAttempts locked) {
      failed(ctx, locked, email, target);
      return;
    }
    ctx.future(
        () ->
            attempt.handle(
                (login, error) -> {
                  if (error == null) {
                    succeed(ctx, login, target);
                  } else {
                    failed(ctx, error, email, target);
                  }
                  return null;
                }));
  }

  private void succeed(Context ctx, SessionTokens login, String target) {
    setLoginCookies.accept(ctx, login);
    ctx.status(303).header("Location", target.isEmpty() ? returnTo.defaultTarget() : target);
    ctx.result("");
  }

  private void failed(Context ctx, Throwable thrown, String email, String target) {
    Throwable e = unwrap(thrown);
    if (e == PasswordLogin.INVALID_CREDENTIALS) {
      render(ctx, 401, email, target, INVALID);
    } else if (e instanceof TooManyAttempts locked) {
      locked.headers().forEach(ctx::header);
      render(ctx, 429, email, target, "Too many failed sign-ins. Please try again later.");
    } else if (e instanceof HashingPool.Saturated) {
      ctx.header("Retry-After", "1");
      render(ctx, 503, email, target, "Too many sign-ins at once. Please try again in a moment.");
    } else if (e instanceof StoreUnavailableException) {
      log.warn("Database unavailable during a hosted login");
      ctx.header("Retry-After", "5");
      render(ctx, 503, email, target, "The service is temporarily unavailable. Please try again.");
    } else {
      log.error("Unexpected failure of a hosted login", e);
      render(ctx, 500, email, target, "Something went wrong on our side. Please try again.");
    }
  }

  private void render(Context ctx, int status, String email, String target, String error) {
    String token = csrf.tokenFor(ctx.cookie(csrf.name()));
    ctx.res().addHeader("Set-Cookie", csrf.header(token));
    ctx.status(status).html(LoginPage.form(email, target, token, error));
  }

  private void pageHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", csp);
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Cache-Control", "no-store");
    ctx.header("Pragma", "no-cache");
  }

  /** One value at most, of a bounded length; missing is empty. */
  private static String field(Map<String, List<String>> form, String name, int maxLength) {
    List<String> values = form.getOrDefault(name, List.of());
    if (values.size() > 1) {
      throw ApiError.badRequest("Field '" + name + "' is repeated.");
    }
    String value = values.isEmpty() || values.get(0) == null ? "" : values.get(0);
    if (value.length() > maxLength) {
      throw ApiError.badRequest("Field '" + name + "' is too long.");
    }
    return value;
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
