package dev.latchkey.server.http.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.http.exchange.Async;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.Credentials;
import dev.latchkey.server.http.exchange.Failures;
import dev.latchkey.server.http.exchange.Json;
import dev.latchkey.server.http.exchange.RequestAddress;
import dev.latchkey.server.http.exchange.SessionAnswer;
import dev.latchkey.server.mfa.SecondFactorMethod;
import dev.latchkey.server.signin.CodeAttempt;
import dev.latchkey.server.signin.PasskeyAttempt;
import dev.latchkey.server.signin.PasskeySignIn;
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
 *   <li>{@code POST /api/login/mfa {"mfaToken", "code"}} or {@code {"mfaToken", "credential"}} (a
 *       passkey's assertion) from the same browser: the session exactly as a login answers it, or
 *       {@code 410 mfa_expired}, {@code 401 invalid_code} / {@code invalid_passkey}, {@code 429};
 *   <li>{@code POST /api/passkeys/login/options} ({@code {}}, or {@code {"mfaToken"}} for a second
 *       step): {@code PublicKeyCredentialRequestOptionsJSON};
 *   <li>{@code POST /api/passkeys/login} with the assertion's {@code toJSON()}: the session as a
 *       login answers it, or {@code 401 invalid_passkey}, {@code 429}.
 * </ul>
 */
public final class LoginRoute {
  /** Longer fields of a second step are refused (a token has 43 characters, a code 6 or 11). */
  private static final int STEP_FIELD_MAX = 100;

  private final SignIn signIn;
  private final PasskeySignIn passkeys;
  private final RequestAddress clientAddress;
  private final BrowserCookies cookies;
  private final SessionAnswer answer;
  private final Clock clock;

  public LoginRoute(
      SignIn signIn,
      PasskeySignIn passkeys,
      RequestAddress clientAddress,
      BrowserCookies cookies,
      SessionAnswer answer,
      Clock clock) {
    this.signIn = signIn;
    this.passkeys = passkeys;
    this.clientAddress = clientAddress;
    this.cookies = cookies;
    this.answer = answer;
    this.clock = clock;
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

  /** {@code POST /api/login/mfa}: a code, or a passkey's assertion ({@code credential}). */
  public void secondStep(Context ctx) {
    ObjectNode body = Json.readObject(ctx);
    Caching.noStore(ctx);
    JsonNode credential = body.remove("credential");
    Map<String, String> fields =
        Json.stringFields(
            body,
            credential == null ? Set.of("mfaToken", "code") : Set.of("mfaToken"),
            STEP_FIELD_MAX,
            true);
    SignInOutcome outcome;
    if (credential == null) {
      outcome =
          signIn.completeSecondStep(
              new CodeAttempt(
                  fields.get("mfaToken"),
                  fields.get("code"),
                  cookies.secondStepBinding(ctx),
                  clientAddress.of(ctx),
                  cookies.deviceCookie(ctx)));
    } else {
      outcome =
          passkeys.secondStep(
              new PasskeyAttempt(
                  assertion(credential),
                  fields.get("mfaToken"),
                  cookies.secondStepBinding(ctx),
                  clientAddress.of(ctx),
                  cookies.deviceCookie(ctx)));
    }
    if (outcome instanceof SignedIn) {
      cookies.clearSecondStepBinding(ctx);
    }
    answer(ctx, outcome);
  }

  /** {@code POST /api/passkeys/login/options}: passwordless, or {@code {"mfaToken"}}'s step. */
  public void passkeyOptions(Context ctx) {
    Map<String, String> body =
        Json.readOptionalStringFields(ctx, Set.of("mfaToken"), STEP_FIELD_MAX);
    Caching.noStore(ctx);
    if (!body.containsKey("mfaToken")) {
      Json.write(ctx, 200, passkeys.loginOptions());
      return;
    }
    Map<String, Object> options =
        passkeys
            .secondStepOptions(body.get("mfaToken"), cookies.secondStepBinding(ctx))
            .orElseThrow(() -> Failures.answerFor(new SignInOutcome.SignInExpired()));
    Json.write(ctx, 200, options);
  }

  /** {@code POST /api/passkeys/login}: the assertion's {@code toJSON()}. */
  public void passkeyLogin(Context ctx) {
    ObjectNode body = Json.readObject(ctx);
    Caching.noStore(ctx);
    answer(
        ctx,
        passkeys.signIn(
            PasskeyAttempt.passwordless(
                assertion(body), clientAddress.of(ctx), cookies.deviceCookie(ctx))));
  }

  private static String assertion(JsonNode credential) {
    if (!credential.isObject()) {
      throw ApiError.badRequest("Field 'credential' must be a PublicKeyCredential's toJSON().");
    }
    return Json.text(credential);
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
    answer.write(ctx, signedIn.session().access().token(), signedIn.session().access().expiresIn());
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
