package dev.latchkey.server.oidc;

import dev.latchkey.server.sessions.SessionTokens;

/** What a token request came to; the route maps it to RFC 6749 §5 answers and nothing more. */
public sealed interface TokenOutcome {

  /** Tokens: the session (access and, with {@code offline_access}, refresh token), the ID token. */
  record Issued(SessionTokens session, String idToken, String scope) implements TokenOutcome {}

  /**
   * Refused with an RFC 6749 §5.2 error code ({@code invalid_grant}, …) and why; {@code codeReused}
   * when a code came back a second time (what its first use issued is revoked).
   */
  record Refused(String error, String description, boolean codeReused) implements TokenOutcome {

    public Refused(String error, String description) {
      this(error, description, false);
    }
  }
}
