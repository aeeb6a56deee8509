package dev.latchkey.cli;

import dev.latchkey.server.oidc.OidcClients;
import java.util.List;

/** The web client of {@code latchkey demo --code-flow}, as a public OpenID Connect client. */
final class DemoClient {

  static final String CLIENT_ID = "latchkey-demo";

  private DemoClient() {}

  /**
   * Registers the demo's client for the app at this origin: its callback route {@code /auth/code}
   * and its root as the logout's way back. A registration left by an earlier start on another port
   * is replaced, since redirect URIs on {@code localhost} must match exactly.
   */
  static void ensure(OidcClients clients, String appOrigin) {
    List<String> redirectUris = List.of(appOrigin + "/auth/code");
    List<String> postLogoutUris = List.of(appOrigin + "/");
    boolean current =
        clients
            .find(CLIENT_ID)
            .filter(
                c ->
                    !c.confidential()
                        && c.redirectUris().equals(redirectUris)
                        && c.postLogoutRedirectUris().equals(postLogoutUris))
            .isPresent();
    if (!current) {
      clients.remove(CLIENT_ID);
      clients.add(CLIENT_ID, redirectUris, null, postLogoutUris);
    }
  }
}
