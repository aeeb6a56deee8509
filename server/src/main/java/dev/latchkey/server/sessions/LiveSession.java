package dev.latchkey.server.sessions;

/**
 * A session that is stored and not revoked, with the thumbprint of the DPoP key it is bound to
 * ({@code null}: a bearer session).
 */
public record LiveSession(String sid, String dpopKey) {
  public boolean bound() {
    return dpopKey != null;
  }
}
