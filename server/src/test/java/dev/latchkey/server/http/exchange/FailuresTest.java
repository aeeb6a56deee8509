package dev.latchkey.server.http.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.signin.SignInOutcome;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one failure mapping: each sign-in refusal's answer, for a sign-in and a password check. */
class FailuresTest {

  @Test
  void aSignInRefusalGetsItsStatusCodeAndHeaders() {
    assertThat(Failures.answerFor(new SignInOutcome.InvalidCredentials()))
        .extracting(ApiError::status, ApiError::error)
        .containsExactly(401, "invalid_credentials");
    // issue 21 item 9: an unverified account's right password answers as a wrong one
    assertThat(Failures.answerFor(new SignInOutcome.EmailNotVerified()))
        .isEqualTo(Failures.answerFor(new SignInOutcome.InvalidCredentials()));
    ApiError busy = Failures.answerFor(new SignInOutcome.Busy());
    assertThat(busy.status()).isEqualTo(503);
    assertThat(busy.headers()).isEqualTo(Map.of("Retry-After", "1"));
    ApiError throttled = Failures.answerFor(new SignInOutcome.Throttled(Duration.ofMillis(1500)));
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.error()).isEqualTo("too_many_attempts");
    assertThat(throttled.headers()).isEqualTo(Map.of("Retry-After", "2"));
    assertThat(throttled.extraFields()).isEqualTo(Map.of("retryAfter", 2L));
  }

  @Test
  void aWrongCurrentPasswordIsNotAFailedSignIn() {
    assertThat(Failures.answerForPasswordCheck(new SignInOutcome.InvalidCredentials()))
        .extracting(ApiError::status, ApiError::error)
        .containsExactly(403, "wrong_password");
    assertThat(Failures.answerForPasswordCheck(new SignInOutcome.Busy()).status()).isEqualTo(503);
  }
}
