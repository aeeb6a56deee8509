package dev.latchkey.server.oidc;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A session issued to a client through the token endpoint: whose, for what, from which sign-in (its
 * single-sign-on session, when and how: {@code amr}).
 */
public record OidcGrant(
    String sid,
    String clientId,
    String userId,
    String ssoIdHash,
    Set<String> scopes,
    Instant authTime,
    List<String> amr) {

  public OidcGrant {
    scopes = Set.copyOf(scopes);
    amr = List.copyOf(amr);
  }

  public String scope() {
    return String.join(" ", Scopes.ordered(scopes));
  }
}
