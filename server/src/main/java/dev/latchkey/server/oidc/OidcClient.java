package dev.latchkey.server.oidc;

import java.time.Instant;
import java.util.List;

/**
 * A registered client.
 *
 * @param confidential whether it has a secret (and must authenticate at the token endpoint)
 */
public record OidcClient(
    String clientId,
    boolean confidential,
    List<String> redirectUris,
    List<String> postLogoutRedirectUris,
    Instant createdAt) {

  public OidcClient {
    redirectUris = List.copyOf(redirectUris);
    postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
  }

  /** Whether {@code presented} is one of this client's redirect URIs. */
  public boolean redirectsTo(String presented) {
    return redirectUris.stream().anyMatch(r -> RedirectUris.matches(r, presented));
  }

  /** Whether {@code presented} is one of this client's post-logout redirect URIs (exactly). */
  public boolean returnsAfterLogoutTo(String presented) {
    return postLogoutRedirectUris.contains(presented);
  }
}
