package dev.latchkey.server.http.login;

import dev.latchkey.server.http.exchange.Async;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.Credentials;
import dev.latchkey.server.http.exchange.DpopProofs;
import dev.latchkey.server.http.exchange.Failures;
import dev.latchkey.server.http.exchange.Json;
import dev.latchkey.server.http.exchange.RequestAddress;
import dev.latchkey.server.http.exchange.SessionAnswer;
import dev.latchkey.server.mfa.SecondFactorMethod;
import dev.latchkey.server.signin.CodeAttempt;
import dev.latchkey.server.signin.PasswordAttempt;
import dev.latchkey.server.signin.PendingSignIn;
import dev.latchkey.server.signin.SignIn;
import dev.latchkey.server.signin.SignInOutcome;
import dev.latchkey.server.signin.SignInOutcome.SignedIn;
import dev.latchkey.server.signin.SignInOutcome.StepRequired;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The JSON sign-in:
 *
 * <ul>
 *   <li>{@code POST /api/login {"email", "password"}}: the session in the configured delivery mode;
 *       for an account with a second factor {@code 200 {"mfaRequired": true, "mfaToken",
 *       "methods"}} and the second-step cookie instead, no session; or the failure mapping's answer
 *       ({@code 401 invalid_credentials}, also for an unverified account whose password is right,
 *       {@code 429 too_many_attempts}, {@code 503 busy});
 *   <li>{@code POST /api/login/mfa {"mfaToken", "code"}} from the same browser: the session exactly
 *       as a login answers it, or {@code 410 mfa_expired}, {@code 401 invalid_code}, {@code 429}.
 * </ul>
 *
 * <p>A valid {@code DPoP} proof on either binds the session to its key ({@code "tokenType":
 * "DPoP"}); a refused one is {@code 400 invalid_dpop_proof} before the password is looked at.
 */
public final class LoginRoute {
  /** Longer fields of a second step are refused (a token has 43 characters, a code 6 or 11). */
  private static final int STEP_FIELD_MAX = 100;

  private final SignIn signIn;
  private final RequestAddress clientAddress;
  private final BrowserCookies cookies;
  private final SessionAnswer answer;
  private final DpopProofs proofs;
  private final Clock clock;

  public LoginRoute(
      SignIn signIn,
      RequestAddress clientAddress,
      BrowserCookies cookies,
      SessionAnswer answer,
      DpopProofs proofs,
      Clock clock) {
    this.signIn = signIn;
    this.clientAddress = clientAddress;
    this.cookies = cookies;
    this.answer = answer;
    this.proofs = proofs;
    this.clock = clock;
  }

  public void handle(Context ctx) {
    Credentials credentials = Credentials.read(ctx);
    Caching.noStore(ctx);
    proofs.offerNonce(ctx);
    String dpopKey = proofs.keyOf(ctx).orElse(null);
    PasswordAttempt attempt =
        new PasswordAttempt(
            credentials.email(),
            credentials.password().toCharArray(),
            clientAddress.of(ctx),
            cookies.deviceCookie(ctx),
            dpopKey);
    Async.answer(ctx, signIn.signIn(attempt).thenAccept(outcome -> answer(ctx, outcome)));
  }

  /** {@code POST /api/login/mfa}. */
  public void secondStep(Context ctx) {
    Map<String, String> body =
        Json.readStringFields(ctx, Set.of("mfaToken", "code"), STEP_FIELD_MAX);
    Caching.noStore(ctx);
    proofs.offerNonce(ctx);
    String dpopKey = proofs.keyOf(ctx).orElse(null);
    SignInOutcome outcome =
        signIn.completeSecondStep(
            new CodeAttempt(
                body.get("mfaToken"),
                body.get("code"),
                cookies.secondStepBinding(ctx),
                clientAddress.of(ctx),
                cookies.deviceCookie(ctx),
                dpopKey));
    if (outcome instanceof SignedIn) {
      cookies.clearSecondStepBinding(ctx);
    }
    answer(ctx, outcome);
  }

  private void answer(Context ctx, SignInOutcome outcome) {
    if (outcome instanceof StepRequired step) {
      stepRequired(ctx, step.pending());
      return;
    }
    if (!(outcome instanceof SignedIn signedIn)) {
      throw Failures.answerFor(outcome);
    }
    cookies.setOnLogin(ctx, signedIn.session());
    cookies.setDevice(ctx, signedIn.deviceCookie());
    answer.write(ctx, signedIn.session().access());
  }

  private void stepRequired(Context ctx, PendingSignIn pending) {
    cookies.setSecondStepBinding(
        ctx, pending.browserBinding(), Duration.between(Instant.now(clock), pending.expiresAt()));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("mfaRequired", true);
    body.put("mfaToken", pending.token());
    body.put("methods", pending.methods().stream().map(SecondFactorMethod::wireName).toList());
    body.put("expiresIn", Duration.between(Instant.now(clock), pending.expiresAt()).toSeconds());
    Json.write(ctx, 200, body);
  }
}
