package dev.latchkey.bench;

import dev.latchkey.server.tokens.IssuedToken;
import dev.latchkey.server.tokens.TokenIssuer;
import java.time.Instant;
import java.util.List;

/** Session tokens the benchmarks mint with an auth server's own {@link TokenIssuer}. */
public final class BenchTokens {
  private BenchTokens() {}

  /**
   * A bearer token for {@code subject} in a new session id of its own (no session row), issued now,
   * without {@code amr}.
   */
  public static IssuedToken bearer(TokenIssuer issuer, String subject) {
    return issuer.issue(subject, TokenIssuer.newSessionId(), Instant.now(), List.of(), null);
  }
}
