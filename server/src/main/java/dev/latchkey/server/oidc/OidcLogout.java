package dev.latchkey.server.oidc;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.sessions.SessionRevocation;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * RP-initiated logout: ends the browser's single-sign-on session and revokes every session it stood
 * for (the hosted page's and each one issued to a client through it), and the session the {@code
 * id_token_hint} names; each revocation goes into the revocation feed.
 */
public final class OidcLogout {
  private final SingleSignOn singleSignOn;
  private final SessionRevocation revocation;
  private final Audit audit;

  public OidcLogout(SingleSignOn singleSignOn, SessionRevocation revocation, Audit audit) {
    this.singleSignOn = singleSignOn;
    this.revocation = revocation;
    this.audit = audit;
  }

  /**
   * A logout request as the provider reads it, once: the browser's live single-sign-on session, if
   * any, and the {@code sid} of the {@code id_token_hint}, or {@code null}.
   */
  public record Request(Optional<SingleSignOn.SsoSession> sso, String hintSid) {}

  /**
   * Reads a logout request.
   *
   * @param ssoCookie the single-sign-on cookie's value, or {@code null}
   * @param hintSid the {@code sid} of the {@code id_token_hint}, or {@code null}
   */
  public Request read(String ssoCookie, String hintSid) {
    return new Request(singleSignOn.find(ssoCookie), hintSid);
  }

  /**
   * Whether a logout request may end sessions without asking the user: when the browser's
   * single-sign-on session stands for the session the {@code id_token_hint} names, or when there is
   * neither (nothing to end). Otherwise the user is asked (RP-Initiated Logout 1.0 §2: the provider
   * must ask when no ID token is given, or one not of the browser's current session), so neither a
   * link to {@code /logout} nor a copied ID token signs anyone out unasked.
   */
  public boolean endsWithoutAsking(Request request) {
    Optional<SingleSignOn.SsoSession> sso = request.sso();
    if (request.hintSid() == null) {
      return sso.isEmpty();
    }
    return sso.isPresent() && singleSignOn.standsFor(sso.get(), request.hintSid());
  }

  /**
   * Ends what the request names: the single-sign-on session with every session it stood for, and
   * the hint's session.
   *
   * @param clientId the client that asked, when known
   * @return how many sessions were revoked now
   */
  public int end(Request request, String clientId) {
    Set<String> sids = new LinkedHashSet<>();
    String userId = null;
    Optional<SingleSignOn.SsoSession> sso = request.sso();
    String hintSid = request.hintSid();
    if (sso.isPresent()) {
      userId = sso.get().userId();
      sids.addAll(singleSignOn.end(sso.get().idHash()));
    }
    if (hintSid != null) {
      sids.add(hintSid);
    }
    int revoked = 0;
    for (String sid : sids) {
      if (revocation.revoke(sid)) {
        revoked++;
      }
    }
    audit.record(
        AuditEvent.OIDC_LOGOUT,
        "user_id",
        userId,
        "client_id",
        clientId,
        "single_sign_on",
        sso.isPresent(),
        "revoked",
        revoked);
    return revoked;
  }
}
