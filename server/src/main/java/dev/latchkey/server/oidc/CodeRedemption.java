package dev.latchkey.server.oidc;

/** What presenting an authorization code at the token endpoint came to. */
public sealed interface CodeRedemption {

  /** A valid first use: the code is spent now, and this is what it stood for. */
  record Redeemed(String codeHash, CodeRequest request) implements CodeRedemption {}

  /**
   * Presented again: refused, and the session its first use started (when there is one) is to be
   * revoked, since the code may have been stolen (RFC 6749 §4.1.2).
   */
  record Reused(String issuedSid) implements CodeRedemption {}

  /** Unknown, expired, for another client or redirect URI, or the PKCE verifier is wrong. */
  record Refused(String description) implements CodeRedemption {}
}
