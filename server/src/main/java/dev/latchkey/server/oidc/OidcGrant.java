package dev.latchkey.server.oidc;

import java.time.Instant;
import java.util.Set;

/** A session issued to a client through the token endpoint: whose, for what, from which sign-in. */
public record OidcGrant(
    String sid,
    String clientId,
    String userId,
    String ssoIdHash,
    Set<String> scopes,
    Instant authTime) {

  public OidcGrant {
    scopes = Set.copyOf(scopes);
  }

  public String scope() {
    return String.join(" ", Scopes.ordered(scopes));
  }
}
