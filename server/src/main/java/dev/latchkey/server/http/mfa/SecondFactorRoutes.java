package dev.latchkey.server.http.mfa;

import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.http.exchange.Async;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.Failures;
import dev.latchkey.server.http.exchange.Json;
import dev.latchkey.server.http.exchange.PasskeyList;
import dev.latchkey.server.http.exchange.RequestAddress;
import dev.latchkey.server.http.exchange.SignedInUsers;
import dev.latchkey.server.http.exchange.SignedInUsers.SignedInUser;
import dev.latchkey.server.mfa.FactorSummary;
import dev.latchkey.server.mfa.SecondFactors;
import dev.latchkey.server.mfa.TotpEnrolment;
import dev.latchkey.server.signin.PasswordCheck;
import dev.latchkey.server.signin.SignIn;
import dev.latchkey.server.signin.SignInOutcome.Refusal;
import dev.latchkey.server.users.Account;
import dev.latchkey.server.users.PasswordPolicy;
import dev.latchkey.server.users.Users;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A signed-in user's second factors (bearer token, or session cookie with the XSRF header):
 *
 * <ul>
 *   <li>{@code GET /api/mfa} → {@code {"totp", "passkeys": [...], "recoveryCodesLeft"}}
 *   <li>{@code POST /api/mfa/totp} → {@code {"secret", "otpauthUri"}}, a pending enrolment ({@code
 *       409 totp_already_enabled} while TOTP is on)
 *   <li>{@code POST /api/mfa/totp/confirm {"code"}} → {@code {"recoveryCodes"}}, TOTP on ({@code
 *       401 invalid_code}, {@code 409 no_pending_enrolment})
 *   <li>{@code DELETE /api/mfa/totp {"code"} or {"password"}} → {@code {"totp": false}} ({@code 401
 *       invalid_code}, {@code 403 wrong_password}, {@code 429}, {@code 409 totp_not_enabled})
 *   <li>{@code POST /api/mfa/recovery-codes {"code"}} → {@code {"recoveryCodes"}}, the old ones
 *       void
 * </ul>
 *
 * A code that proves the factor is a current TOTP code (never a recovery code), checked on the
 * login throttle; the password goes through {@link SignIn#checkPassword}.
 */
public final class SecondFactorRoutes {
  private static final int CODE_MAX = 32;

  private final SecondFactors factors;
  private final Users users;
  private final SignIn signIn;
  private final SignedInUsers signedInUsers;
  private final RequestAddress clientAddress;

  public SecondFactorRoutes(
      SecondFactors factors,
      Users users,
      SignIn signIn,
      SignedInUsers signedInUsers,
      RequestAddress clientAddress) {
    this.factors = factors;
    this.users = users;
    this.signIn = signIn;
    this.signedInUsers = signedInUsers;
    this.clientAddress = clientAddress;
  }

  /** {@code GET /api/mfa}. */
  public void summary(Context ctx) {
    SignedInUser user = signedInUsers.require(ctx);
    Caching.noStore(ctx);
    Json.write(ctx, 200, summaryOf(factors.summary(user.userId())));
  }

  private static Map<String, Object> summaryOf(FactorSummary summary) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("totp", summary.totp());
    body.put("passkeys", PasskeyList.of(summary.passkeys()));
    body.put("recoveryCodesLeft", summary.recoveryCodesLeft());
    return body;
  }

  /** {@code POST /api/mfa/totp}. */
  public void startTotp(Context ctx) {
    SignedInUser user = signedInUsers.require(ctx);
    Caching.noStore(ctx);
    String email =
        users
            .account(user.userId())
            .map(Account::email)
            .orElseThrow(
                () -> new ApiError(401, "unauthorized", "No valid session: log in first."));
    TotpEnrolment enrolment = factors.startTotpEnrolment(user.userId(), email);
    Json.write(
        ctx, 200, Map.of("secret", enrolment.secret(), "otpauthUri", enrolment.otpauthUri()));
  }

  /** {@code POST /api/mfa/totp/confirm}. */
  public void confirmTotp(Context ctx) {
    SignedInUser user = signedInUsers.require(ctx);
    String code = Json.readStringFields(ctx, Set.of("code"), CODE_MAX).get("code");
    Caching.noStore(ctx);
    List<String> codes = factors.confirmTotp(user.userId(), code);
    Json.write(ctx, 200, Map.of("recoveryCodes", codes));
  }

  /** {@code DELETE /api/mfa/totp}: with {@code {"code"}} or {@code {"password"}}. */
  public void removeTotp(Context ctx) {
    SignedInUser user = signedInUsers.require(ctx);
    Map<String, String> body =
        Json.readOptionalStringFields(ctx, Set.of("code", "password"), PasswordPolicy.MAX_LENGTH);
    Caching.noStore(ctx);
    if (body.size() != 1) {
      throw ApiError.badRequest("Send either 'code' (a current TOTP code) or 'password'.");
    }
    if (!factors.summary(user.userId()).totp()) {
      throw new ApiError(409, "totp_not_enabled", "TOTP is not on.");
    }
    Runnable remove = () -> factors.removeTotp(user.userId());
    CompletableFuture<PasswordCheck> check =
        body.containsKey("code")
            ? CompletableFuture.completedFuture(
                signIn.checkTotpCode(
                    user.userId(), body.get("code"), clientAddress.of(ctx), remove))
            : signIn.checkPassword(
                user.userId(),
                body.get("password").toCharArray(),
                clientAddress.of(ctx),
                checked -> remove.run());
    Async.answer(
        ctx,
        check.thenAccept(
            outcome -> {
              refuseUnlessConfirmed(outcome);
              Json.write(ctx, 200, summaryOf(factors.summary(user.userId())));
            }));
  }

  /** {@code POST /api/mfa/recovery-codes {"code"}}. */
  public void regenerateRecoveryCodes(Context ctx) {
    SignedInUser user = signedInUsers.require(ctx);
    String code = Json.readStringFields(ctx, Set.of("code"), CODE_MAX).get("code");
    Caching.noStore(ctx);
    if (!factors.summary(user.userId()).totp()) {
      throw new ApiError(409, "totp_not_enabled", "TOTP is not on.");
    }
    List<List<String>> issued = new ArrayList<>();
    PasswordCheck outcome =
        signIn.checkTotpCode(
            user.userId(),
            code,
            clientAddress.of(ctx),
            () -> issued.add(factors.regenerateRecoveryCodes(user.userId())));
    refuseUnlessConfirmed(outcome);
    Json.write(ctx, 200, Map.of("recoveryCodes", issued.get(0)));
  }

  private static void refuseUnlessConfirmed(PasswordCheck outcome) {
    if (outcome instanceof Refusal refusal) {
      throw Failures.answerForPasswordCheck(refusal);
    }
  }
}
