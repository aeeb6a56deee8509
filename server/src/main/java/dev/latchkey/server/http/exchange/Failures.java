package dev.latchkey.server.http.exchange;

import com.nimbusds.jose.JWSAlgorithm;
import dev.latchkey.server.accounts.SignupLimitReached;
import dev.latchkey.server.mfa.MfaException;
import dev.latchkey.server.passkeys.PasskeyException;
import dev.latchkey.server.signin.SignInOutcome;
import dev.latchkey.server.signin.SignInOutcome.Busy;
import dev.latchkey.server.signin.SignInOutcome.EmailNotVerified;
import dev.latchkey.server.signin.SignInOutcome.InvalidCode;
import dev.latchkey.server.signin.SignInOutcome.InvalidCredentials;
import dev.latchkey.server.signin.SignInOutcome.InvalidPasskey;
import dev.latchkey.server.signin.SignInOutcome.Refusal;
import dev.latchkey.server.signin.SignInOutcome.SignInExpired;
import dev.latchkey.server.signin.SignInOutcome.Throttled;
import dev.latchkey.server.store.StoreUnavailableException;
import dev.latchkey.server.users.HashingPool;
import dev.latchkey.server.users.UserException;
import dev.latchkey.verifier.RejectionReason;
import dev.latchkey.verifier.wire.Dpop;
import dev.latchkey.verifier.wire.ErrorResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping from what went wrong to its answer: status, {@code error} code, message and
 * headers. JSON routes throw the answer and {@link #write} writes it (installed by {@code
 * HttpApi}); the hosted pages render the same status and headers with their page, so a {@code 503}
 * is a {@code 503} with {@code Retry-After} everywhere. Nothing else writes an error answer.
 */
public final class Failures {
  private static final Logger log = LoggerFactory.getLogger(Failures.class);
  private static final String RETRY_AFTER_BUSY_SECONDS = "1";
  private static final String RETRY_AFTER_UNAVAILABLE_SECONDS = "5";

  /**
   * A sign-in's password check failed, or the password was right but the address is not verified
   * yet: one answer for both (issue 21), so that signing an address up and then logging in with the
   * password just chosen tells nothing about whether the address already had an account. The
   * message says where to look when it is the second.
   */
  static final ApiError INVALID_CREDENTIALS =
      new ApiError(
          401,
          "invalid_credentials",
          "The email or password is incorrect. If you signed up recently, confirm your address"
              + " first with the link we mailed you.");

  /** The current password of a password change was wrong. */
  static final ApiError WRONG_PASSWORD =
      new ApiError(403, "wrong_password", "The current password is incorrect.");

  /** A second step's code was wrong, replayed or already used. */
  static final ApiError INVALID_CODE =
      new ApiError(401, "invalid_code", "The code is not valid; try the current one.");

  /** A passkey's assertion was refused, whatever the reason (see {@link InvalidPasskey}). */
  static final ApiError INVALID_PASSKEY =
      new ApiError(
          401, "invalid_passkey", "The passkey was not accepted; ask for new options and retry.");

  /**
   * The pending sign-in a second step names is unknown, over, or another browser's: the sign-in
   * starts again from the password.
   */
  static final ApiError MFA_EXPIRED =
      new ApiError(410, "mfa_expired", "This sign-in has expired; enter your password again.");

  private Failures() {}

  /** Writes the JSON answer to a failure (the exception handler of every JSON route). */
  public static void write(Context ctx, Throwable failure) {
    Json.writeError(ctx, answerFor(ctx, failure));
  }

  /**
   * The answer to a sign-in that was refused (a {@link SignInOutcome.StepRequired} and a {@link
   * SignInOutcome.SignedIn} are answered by their routes).
   */
  public static ApiError answerFor(SignInOutcome notSignedIn) {
    if (notSignedIn instanceof Refusal refusal) {
      return answerFor(refusal, INVALID_CREDENTIALS);
    }
    throw new IllegalArgumentException("not a refusal: " + notSignedIn);
  }

  /** The answer to a refused check of a signed-in user's password (password change). */
  public static ApiError answerForPasswordCheck(Refusal refusal) {
    return answerFor(refusal, WRONG_PASSWORD);
  }

  private static ApiError answerFor(Refusal refusal, ApiError wrongPassword) {
    if (refusal instanceof InvalidCredentials || refusal instanceof EmailNotVerified) {
      return wrongPassword;
    } else if (refusal instanceof Throttled throttled) {
      return new TooManyAttempts(throttled.retryAfter());
    } else if (refusal instanceof Busy) {
      return busy();
    } else if (refusal instanceof InvalidCode) {
      return INVALID_CODE;
    } else if (refusal instanceof InvalidPasskey) {
      return INVALID_PASSKEY;
    } else if (refusal instanceof SignInExpired) {
      return MFA_EXPIRED;
    }
    throw new IllegalArgumentException("unknown refusal " + refusal);
  }

  private static ApiError busy() {
    return new ApiError(
        503,
        "busy",
        "Too many logins at once; try again shortly.",
        Map.of("Retry-After", RETRY_AFTER_BUSY_SECONDS));
  }

  /**
   * A second-factor action that cannot be done: a wrong code is {@code 401 invalid_code} as in the
   * second step; the rest ({@code totp_already_enabled}, {@code totp_not_enabled}, {@code
   * no_pending_enrolment}) conflict with the factor's state: {@code 409}.
   */
  private static ApiError secondFactorRefusal(MfaException mfa) {
    return mfa.reason().equals(INVALID_CODE.error())
        ? INVALID_CODE
        : new ApiError(409, mfa.reason(), mfa.getMessage());
  }

  /**
   * A DPoP proof refused where tokens are issued (RFC 9449 §5, §8): {@code 400} with the RFC's
   * {@code error} ({@code invalid_dpop_proof}, or {@code use_dpop_nonce} with the current nonce in
   * {@code DPoP-Nonce}), the reason's fixed message, and a {@code DPoP} challenge naming the
   * accepted algorithms.
   */
  public static ApiError dpopRefusal(
      RejectionReason reason, Set<JWSAlgorithm> algorithms, Optional<String> nonce) {
    return dpopRefusal(400, reason, algorithms, nonce);
  }

  /**
   * A presented token refused for DPoP where it is used (RFC 9449 §7.1): {@code 401}, else as
   * {@link #dpopRefusal(RejectionReason, Set, Optional)}; {@code invalid_token} for a bound token
   * sent as {@code Bearer} or an unbound one sent as {@code DPoP}.
   */
  public static ApiError dpopTokenRefusal(
      RejectionReason reason, Set<JWSAlgorithm> algorithms, Optional<String> nonce) {
    return dpopRefusal(401, reason, algorithms, nonce);
  }

  private static ApiError dpopRefusal(
      int status, RejectionReason reason, Set<JWSAlgorithm> algorithms, Optional<String> nonce) {
    if (reason.retryable()) {
      return new ApiError(
          503,
          "unavailable",
          reason.message(),
          Map.of("Retry-After", "" + reason.retryAfterSeconds()));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(
        ErrorResponse.WWW_AUTHENTICATE,
        Dpop.challenge(
            ErrorResponse.DEFAULT_REALM, reason.challengeError(), reason.message(), algorithms));
    if (reason == RejectionReason.DPOP_NONCE_REQUIRED) {
      nonce.ifPresent(n -> headers.put(Dpop.NONCE_HEADER, n));
    }
    return new ApiError(status, reason.challengeError(), reason.message(), headers);
  }

  /** Every failure becomes an answer; only unexpected ones are logged, never with secrets. */
  public static ApiError answerFor(Context ctx, Throwable thrown) {
    Throwable e = unwrap(thrown);
    if (e instanceof ApiError api) {
      return api;
    } else if (e instanceof SignupLimitReached limited) {
      return TooManyAttempts.signups(limited.retryAfter());
    } else if (e instanceof HashingPool.Saturated) {
      return busy();
    } else if (e instanceof StoreUnavailableException) {
      log.warn("Database unavailable: {}", e.getCause() == null ? "" : e.getCause().getMessage());
      return new ApiError(
          503,
          "unavailable",
          "The service is temporarily unavailable.",
          Map.of("Retry-After", RETRY_AFTER_UNAVAILABLE_SECONDS));
    } else if (e instanceof PasskeyException passkey) {
      return new ApiError(passkey.status(), passkey.reason(), passkey.getMessage());
    } else if (e instanceof MfaException mfa) {
      return secondFactorRefusal(mfa);
    } else if (e instanceof UserException user) {
      return new ApiError(400, user.reason(), user.getMessage());
    } else if (e instanceof HttpResponseException http) {
      return fromJavalin(http);
    }
    log.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
    return new ApiError(500, "internal_error", "Something went wrong on our side.");
  }

  /**
   * A 404 or 405 that no route answered: our JSON shape, unless a route already wrote an error of
   * its own.
   */
  public static void notFound(Context ctx) {
    if (ctx.result() == null || ctx.result().isEmpty() || !isJsonError(ctx)) {
      ApiError error =
          ctx.statusCode() == 405
              ? new ApiError(405, "method_not_allowed", "This method is not allowed here.")
              : ApiError.notFound();
      Json.writeError(ctx, error);
    }
  }

  private static boolean isJsonError(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null
        && type.startsWith("application/json")
        && ctx.result().contains("\"error\"");
  }

  private static ApiError fromJavalin(HttpResponseException http) {
    int status = http.getStatus();
    if (status == 413) {
      return ApiError.payloadTooLarge("The request body is too large.");
    }
    if (status == 404) {
      return ApiError.notFound();
    }
    if (status >= 400 && status < 500) {
      return new ApiError(status, "invalid_request", "The request was refused.");
    }
    return new ApiError(503, "unavailable", "The service is temporarily unavailable.");
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
