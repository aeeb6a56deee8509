package dev.latchkey.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WireTest {

  @Test
  void bearerTokens() {
    assertThat(Wire.bearer("Bearer a.b.c")).contains("a.b.c");
    assertThat(Wire.bearer("  bearer   a.b.c  ")).contains("a.b.c");
    assertThat(Wire.bearer("BEARER a.b.c")).contains("a.b.c");
  }

  @Test
  void aBareBearerIsAnInvalidCredentialNotAMissingOne() {
    assertThat(Wire.bearer("Bearer")).contains("");
    assertThat(Wire.bearer("Bearer   ")).contains("");
  }

  @Test
  void noHeaderOrAnotherSchemeOffersNoBearerToken() {
    assertThat(Wire.bearer(null)).isEmpty();
    assertThat(Wire.bearer("")).isEmpty();
    assertThat(Wire.bearer("Basic Zm9vOmJhcg==")).isEmpty();
    assertThat(Wire.bearer("Bearerx a.b.c")).isEmpty();
    assertThat(Wire.bearer("Bear")).isEmpty();
  }

  @Test
  void theXsrfHeaderMustEqualAPresentCookie() {
    assertThat(Wire.xsrfMatches("abc", "abc")).isTrue();
    assertThat(Wire.xsrfMatches("abc", "abd")).isFalse();
    assertThat(Wire.xsrfMatches("abc", "ABC")).isFalse();
    assertThat(Wire.xsrfMatches("abc", null)).isFalse();
    assertThat(Wire.xsrfMatches(null, "abc")).isFalse();
    assertThat(Wire.xsrfMatches("", "")).isFalse();
    String overlong = "x".repeat(257);
    assertThat(Wire.xsrfMatches(overlong, overlong)).isFalse();
  }

  @Test
  void errorBodiesAndChallenges() {
    assertThat(Wire.errorBody("too_many_attempts", "Wait.", Map.of("retryAfter", 3L)))
        .containsExactly(
            Map.entry("error", "too_many_attempts"),
            Map.entry("message", "Wait."),
            Map.entry("retryAfter", 3L));
    assertThat(Wire.bearerChallenge()).isEqualTo("Bearer realm=\"latchkey\"");
    assertThat(Wire.bearerChallenge("invalid_token", "Expired"))
        .isEqualTo(
            "Bearer realm=\"latchkey\", error=\"invalid_token\", error_description=\"Expired\"");
  }
}
