package dev.latchkey.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.RSAKey;
import dev.latchkey.testing.MutableClock;
import dev.latchkey.verifier.testing.Keys;
import dev.latchkey.verifier.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pre-parse gate alone: what it lets through and the reason for each refusal. */
class TokenGateTest {
  private final MutableClock clock = MutableClock.standard();
  private final RSAKey key = Keys.rsa("k1");
  private final TokenGate gate = new TokenGate(Set.of(JWSAlgorithm.RS256), 8192, 16);

  private RejectionReason reasonOf(String token) {
    TokenRejectedException e =
        catchThrowableOfType(TokenRejectedException.class, () -> gate.parse(token));
    return e == null ? null : e.reason();
  }

  @Test
  void aWellFormedTokenIsParsedOnce() {
    String token = Tokens.rs256(key, clock);

    ParsedToken parsed = gate.parse(token);

    assertThat(parsed.header().getKeyID()).isEqualTo("k1");
    assertThat(parsed.claims().getSubject()).isEqualTo("user-42");
    assertThat(new String(parsed.signingInput(), StandardCharsets.US_ASCII))
        .isEqualTo(token.substring(0, token.lastIndexOf('.')));
    assertThat(parsed.signature().toString())
        .isEqualTo(token.substring(token.lastIndexOf('.') + 1));
  }

  @Test
  void eachRefusalHasItsReason() {
    String token = Tokens.rs256(key, clock);
    String[] p = token.split("\\.");
    String noneHeader = Tokens.b64("{\"alg\":\"none\"}");
    String hs256 = Tokens.b64(Tokens.header(JWSAlgorithm.HS256, "k1").build().toString());
    String crit =
        Tokens.b64(
            Tokens.header(JWSAlgorithm.RS256, "k1")
                .criticalParams(Set.of("x"))
                .customParam("x", 1)
                .build()
                .toString());

    assertThat(reasonOf(null)).isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf("a".repeat(8193))).isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf(p[0] + "." + p[1])).isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf(p[0] + "!." + p[1] + "." + p[2])).isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf(noneHeader + "." + p[1] + "."))
        .isEqualTo(RejectionReason.DISALLOWED_ALGORITHM);
    assertThat(reasonOf(hs256 + "." + p[1] + "." + p[2]))
        .isEqualTo(RejectionReason.DISALLOWED_ALGORITHM);
    assertThat(reasonOf(p[0] + "." + p[1] + ".")).isEqualTo(RejectionReason.BAD_SIGNATURE);
    assertThat(reasonOf(crit + "." + p[1] + "." + p[2])).isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf(p[0] + "." + Tokens.b64("[1]") + "." + p[2]))
        .isEqualTo(RejectionReason.MALFORMED);
    assertThat(
            reasonOf(
                p[0]
                    + "."
                    + Tokens.b64("{\"a\":" + "[".repeat(20) + "]".repeat(20) + "}")
                    + "."
                    + p[2]))
        .isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void aNonStringSubIssOrJtiIsMalformed() {
    String[] p = Tokens.rs256(key, clock).split("\\.");
    for (String payload :
        new String[] {
          "{\"sub\":42,\"iss\":\"i\"}",
          "{\"sub\":\"u\",\"iss\":[\"i\"]}",
          "{\"sub\":\"u\",\"jti\":7}",
          "{\"sub\":null}"
        }) {
      assertThat(reasonOf(p[0] + "." + Tokens.b64(payload) + "." + p[2]))
          .as(payload)
          .isEqualTo(RejectionReason.MALFORMED);
    }
    assertThat(gate.parse(p[0] + "." + Tokens.b64("{\"sub\":\"u\",\"jti\":\"j\"}") + "." + p[2]))
        .isNotNull();
  }

  @Test
  void theHeaderIsNimbusJwsHeader() {
    JWSHeader h = gate.parse(Tokens.rs256(key, clock)).header();

    assertThat(h.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(h.getType().getType()).isEqualTo("at+jwt");
  }
}
