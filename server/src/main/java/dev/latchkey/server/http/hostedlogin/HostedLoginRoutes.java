package dev.latchkey.server.http.hostedlogin;

import dev.latchkey.server.hosted.LoginPage;
import dev.latchkey.server.hosted.ReturnToPolicy;
import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.http.exchange.Async;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.CsrfToken;
import dev.latchkey.server.http.exchange.Failures;
import dev.latchkey.server.http.exchange.RequestAddress;
import dev.latchkey.server.signin.CodeAttempt;
import dev.latchkey.server.signin.PasskeyAttempt;
import dev.latchkey.server.signin.PasskeySignIn;
import dev.latchkey.server.signin.PasswordAttempt;
import dev.latchkey.server.signin.PendingSignIn;
import dev.latchkey.server.signin.PendingSignIns;
import dev.latchkey.server.signin.SignIn;
import dev.latchkey.server.signin.SignInOutcome;
import dev.latchkey.server.signin.SignInOutcome.SignedIn;
import dev.latchkey.server.signin.SignInOutcome.StepRequired;
import dev.latchkey.server.users.PasswordPolicy;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 5: the hosted login page. {@code GET /login?return_to=URL} renders the form; {@code POST
 * /login} checks the password exactly as {@code POST /api/login} does (same hashing pool, same
 * generic failure, same cost for an unknown email), sets the session cookies and answers {@code
 * 303} to the allowed {@code return_to} or the default target. For an account with a second factor
 * the answer is the same page's code step (a hidden {@code mfa_token}, the second-step cookie); its
 * {@code POST /login} with {@code mfa_token} and {@code code} finishes the sign-in as {@code POST
 * /api/login/mfa} does. "Sign in with a passkey" (and the email field's passkey autofill) posts the
 * assertion in {@code passkey}, judged as {@code POST /api/passkeys/login} does. Every answer is
 * HTML.
 */
public final class HostedLoginRoutes {
  private static final String EXPIRED =
      "This sign-in form has expired or was not sent from this page. Please sign in again.";
  private static final int MAX_FIELD = PasswordPolicy.MAX_LENGTH;
  private static final int MAX_ASSERTION = 16 * 1024;
  private static final String PASSKEY_SCRIPT = resource("/hosted/passkey.js");

  private final SignIn signIn;
  private final PasskeySignIn passkeys;
  private final RequestAddress clientAddress;
  private final BrowserCookies cookies;
  private final ReturnToPolicy returnTo;
  private final String csp;
  private final String publicUrl;

  public HostedLoginRoutes(
      SignIn signIn,
      PasskeySignIn passkeys,
      RequestAddress clientAddress,
      BrowserCookies cookies,
      ReturnToPolicy returnTo,
      String publicUrl) {
    this.signIn = signIn;
    this.passkeys = passkeys;
    this.clientAddress = clientAddress;
    this.cookies = cookies;
    this.returnTo = returnTo;
    this.csp = LoginPage.contentSecurityPolicy(returnTo.redirectOrigins());
    this.publicUrl = publicUrl;
  }

  /**
   * {@code GET /login}: the form, with a CSRF token in a cookie and a hidden field; the email
   * filled in from {@code login_hint} (an OpenID client's, passed on by {@code /authorize}).
   */
  public void show(Context ctx) {
    pageHeaders(ctx);
    String target = returnTo.allowed(ctx.queryParam("return_to")).orElse("");
    String hint = ctx.queryParam("login_hint");
    String email = hint == null || hint.length() > MAX_EMAIL ? "" : hint.strip();
    render(ctx, 200, email, target, null);
  }

  private static final int MAX_EMAIL = 254;

  /** {@code GET /login/done}: the default target when no application is configured. */
  public void done(Context ctx) {
    pageHeaders(ctx);
    ctx.status(200).html(LoginPage.signedIn());
  }

  /** {@code POST /login}. */
  public void submit(Context ctx) {
    pageHeaders(ctx);
    String type = ctx.header("Content-Type");
    String mime = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!mime.equals("application/x-www-form-urlencoded")) {
      throw new ApiError(
          415, "unsupported_media_type", "Send the form as application/x-www-form-urlencoded.");
    }
    Map<String, List<String>> form = ctx.formParamMap();
    if (form.containsKey("mfa_token")) {
      submitCode(ctx, form);
      return;
    }
    if (form.containsKey("passkey")) {
      submitPasskey(ctx, form);
      return;
    }
    String email = field(form, "email", MAX_FIELD);
    String password = field(form, "password", MAX_FIELD);
    // An overlong return_to is not an error of the user: it just goes to the default target.
    String postedReturnTo = field(form, "return_to", Integer.MAX_VALUE);
    String token = field(form, "csrf", 64);
    String target = returnTo.allowed(postedReturnTo).orElse("");

    if (!CsrfToken.matches(cookies.hostedLoginCsrf(ctx), token)) {
      render(ctx, 403, email, target, EXPIRED);
      return;
    }
    PasswordAttempt attempt =
        new PasswordAttempt(
            email, password.toCharArray(), clientAddress.of(ctx), cookies.deviceCookie(ctx));
    Async.answer(
        ctx,
        signIn
            .signIn(attempt)
            .handle(
                (outcome, error) -> {
                  if (outcome instanceof SignedIn signedIn) {
                    succeed(ctx, signedIn, target);
                  } else if (outcome instanceof StepRequired step) {
                    askForCode(ctx, step.pending(), target);
                  } else if (outcome != null) {
                    failed(ctx, Failures.answerFor(outcome), email, target);
                  } else {
                    failed(ctx, Failures.answerFor(ctx, error), email, target);
                  }
                  return null;
                }));
  }

  private void askForCode(Context ctx, PendingSignIn pending, String target) {
    cookies.setSecondStepBinding(ctx, pending.browserBinding(), PendingSignIns.LIFETIME);
    renderCode(ctx, 200, pending.token(), target, null);
  }

  /** The code step's {@code POST /login}: CSRF as the password step, then the second step. */
  private void submitCode(Context ctx, Map<String, List<String>> form) {
    String mfaToken = field(form, "mfa_token", 64);
    String code = field(form, "code", 64);
    String token = field(form, "csrf", 64);
    String target = returnTo.allowed(field(form, "return_to", Integer.MAX_VALUE)).orElse("");
    if (!CsrfToken.matches(cookies.hostedLoginCsrf(ctx), token)) {
      render(ctx, 403, "", target, EXPIRED);
      return;
    }
    SignInOutcome outcome =
        signIn.completeSecondStep(
            new CodeAttempt(
                mfaToken,
                code,
                cookies.secondStepBinding(ctx),
                clientAddress.of(ctx),
                cookies.deviceCookie(ctx)));
    if (outcome instanceof SignedIn signedIn) {
      cookies.clearSecondStepBinding(ctx);
      succeed(ctx, signedIn, target);
      return;
    }
    ApiError answer = Failures.answerFor(outcome);
    answer.headers().forEach(ctx::header);
    if (outcome instanceof SignInOutcome.InvalidCode) { // the pending sign-in waits on
      renderCode(ctx, answer.status(), mfaToken, target, PageMessages.forSignIn(answer));
    } else {
      render(ctx, answer.status(), "", target, PageMessages.forSignIn(answer));
    }
  }

  /**
   * The passkey's {@code POST /login}: the assertion the page's script put in the form, CSRF as the
   * password step, then as {@code POST /api/passkeys/login}.
   */
  private void submitPasskey(Context ctx, Map<String, List<String>> form) {
    String assertion = field(form, "passkey", MAX_ASSERTION);
    String target = returnTo.allowed(field(form, "return_to", Integer.MAX_VALUE)).orElse("");
    if (!CsrfToken.matches(cookies.hostedLoginCsrf(ctx), field(form, "csrf", 64))) {
      render(ctx, 403, "", target, EXPIRED);
      return;
    }
    SignInOutcome outcome =
        passkeys.signIn(
            PasskeyAttempt.passwordless(
                assertion, clientAddress.of(ctx), cookies.deviceCookie(ctx), null));
    if (outcome instanceof SignedIn signedIn) {
      succeed(ctx, signedIn, target);
    } else {
      failed(ctx, Failures.answerFor(outcome), "", target);
    }
  }

  /** {@code GET /login/passkey.js}: the page's passkey script (see {@link LoginPage}). */
  public void passkeyScript(Context ctx) {
    ctx.header("Cache-Control", "public, max-age=3600");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.status(200).contentType("text/javascript; charset=utf-8").result(PASSKEY_SCRIPT);
  }

  private void renderCode(Context ctx, int status, String mfaToken, String target, String error) {
    String token = CsrfToken.forForm(cookies, ctx);
    ctx.status(status).html(LoginPage.secondStep(publicUrl, mfaToken, target, token, error));
  }

  private void succeed(Context ctx, SignedIn login, String target) {
    cookies.setOnHostedLogin(ctx, login.session());
    cookies.setDevice(ctx, login.deviceCookie());
    ctx.status(303)
        .header("Location", target.isEmpty() ? published(returnTo.defaultTarget()) : target);
    ctx.result("");
  }

  /** The failure mapping's status and headers, with the form and the page's words for it. */
  private void failed(Context ctx, ApiError answer, String email, String target) {
    answer.headers().forEach(ctx::header);
    render(ctx, answer.status(), email, target, PageMessages.forSignIn(answer));
  }

  private void render(Context ctx, int status, String email, String target, String error) {
    String token = CsrfToken.forForm(cookies, ctx);
    ctx.status(status).html(LoginPage.form(publicUrl, email, target, token, error));
  }

  /** A path on this server as the browser reaches it (through the public URL). */
  private String published(String target) {
    return target.startsWith("/") ? publicUrl + target : target;
  }

  private void pageHeaders(Context ctx) {
    ctx.header("Content-Security-Policy", csp);
    ctx.header("X-Frame-Options", "DENY");
    Caching.noStore(ctx);
  }

  private static String resource(String name) {
    try (InputStream in = HostedLoginRoutes.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("missing resource " + name, e);
    }
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
}
