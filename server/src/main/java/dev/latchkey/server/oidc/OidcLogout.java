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
   * Whether a logout request may end sessions without asking the user: when the browser's
   * single-sign-on session stands for the session the {@code id_token_hint} names, or when there is
   * neither (nothing to end). Otherwise the user is asked (RP-Initiated Logout 1.0 §2: the provider
   * must ask when no ID token is given, or one not of the browser's current session), so neither a
   * link to {@code /logout} nor a copied ID token signs anyone out unasked.
   *
   * @param ssoCookie the single-sign-on cookie's value, or {@code null}
   * @param hintSid the {@code sid} of the {@code id_token_hint}, or {@code null}
   */
  public boolean endsWithoutAsking(String ssoCookie, String hintSid) {
    Optional<SingleSignOn.SsoSession> sso = singleSignOn.find(ssoCookie);
    if (hintSid == null) {
      return sso.isEmpty();
    }
    return sso.isPresent() && singleSignOn.standsFor(sso.get(), hintSid);
  }

  /**
   * @param ssoCookie the single-sign-on cookie's value, or {@code null}
   * @param hintSid the {@code sid} of the {@code id_token_hint}, or {@code null}
   * @param clientId the client that asked, when known
   * @return how many sessions were revoked now
   */
  public int end(String ssoCookie, String hintSid, String clientId) {
    Set<String> sids = new LinkedHashSet<>();
    String userId = null;
    var sso = singleSignOn.find(ssoCookie);
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
