package dev.latchkey.server.oidc;

import java.time.Instant;
import java.util.List;

/**
 * What an authorization code stands for, fixed at {@code /authorize}: the client and redirect URI
 * it is bound to, the PKCE challenge ({@code S256}), who signed in, when and in which
 * single-sign-on session and how ({@code amr}), the scopes granted and the client's nonce.
 */
public record CodeRequest(
    String clientId,
    String redirectUri,
    String codeChallenge,
    String userId,
    String ssoIdHash,
    String scope,
    String nonce,
    Instant authTime,
    List<String> amr) {

  public CodeRequest {
    amr = List.copyOf(amr);
  }
}
