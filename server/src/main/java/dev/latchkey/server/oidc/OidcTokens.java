package dev.latchkey.server.oidc;

import dev.latchkey.server.audit.Audit;
import dev.latchkey.server.audit.AuditEvent;
import dev.latchkey.server.sessions.RefreshFailure;
import dev.latchkey.server.sessions.RefreshProtocol;
import dev.latchkey.server.sessions.RefreshRejected;
import dev.latchkey.server.sessions.SessionRevocation;
import dev.latchkey.server.sessions.SessionTokens;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.Account;
import dev.latchkey.server.users.AuthenticatedUser;
import dev.latchkey.server.users.Users;
import java.util.Optional;
import java.util.Set;

/**
 * The token endpoint's grants, for a client already authenticated (or identified, when public):
 * {@code authorization_code} (the code redeemed once, a session started as any sign-in starts one,
 * its tokens carrying the sign-in's {@code amr}, recorded as this client's, an ID token beside it;
 * a code presented again revokes that session) and {@code refresh_token} (the sessions' rotation
 * and reuse detection, for the client the session was issued to only). A request with a valid DPoP
 * proof gets tokens bound to its key (RFC 9449 §5), and its session's refresh family with them: a
 * refresh of a bound family needs a proof of that key ({@code invalid_dpop_proof} otherwise).
 */
public final class OidcTokens {
  private static final String INVALID_GRANT = "invalid_grant";
  private static final String INVALID_DPOP_PROOF = "invalid_dpop_proof";

  private final AuthorizationCodes codes;
  private final OidcGrants grants;
  private final Sessions sessions;
  private final RefreshProtocol refreshProtocol;
  private final SessionRevocation revocation;
  private final TokenIssuer tokens;
  private final IdTokens idTokens;
  private final Users users;
  private final Audit audit;

  public OidcTokens(
      AuthorizationCodes codes,
      OidcGrants grants,
      Sessions sessions,
      RefreshProtocol refreshProtocol,
      SessionRevocation revocation,
      TokenIssuer tokens,
      IdTokens idTokens,
      Users users,
      Audit audit) {
    this.codes = codes;
    this.grants = grants;
    this.sessions = sessions;
    this.refreshProtocol = refreshProtocol;
    this.revocation = revocation;
    this.tokens = tokens;
    this.idTokens = idTokens;
    this.users = users;
    this.audit = audit;
  }

  /** Whether refresh tokens are issued at all (the server's refresh sessions). */
  public boolean refreshEnabled() {
    return refreshProtocol.enabled();
  }

  /**
   * @param dpopKey the thumbprint of the key of the request's valid DPoP proof, null without one
   */
  public TokenOutcome exchangeCode(
      String clientId, String code, String redirectUri, String verifier, String dpopKey) {
    CodeRedemption redemption = codes.redeem(code, clientId, redirectUri, verifier);
    if (redemption instanceof CodeRedemption.Reused reused) {
      if (reused.issuedSid() != null) {
        revocation.revoke(reused.issuedSid());
      }
      audit.record(
          AuditEvent.OIDC_CODE_REUSED, "client_id", clientId, "revoked_sid", reused.issuedSid());
      return new TokenOutcome.Refused(
          INVALID_GRANT,
          "The authorization code was used before; what it issued is revoked.",
          true);
    }
    if (redemption instanceof CodeRedemption.Refused refused) {
      return new TokenOutcome.Refused(INVALID_GRANT, refused.description());
    }
    CodeRedemption.Redeemed redeemed = (CodeRedemption.Redeemed) redemption;
    CodeRequest request = redeemed.request();
    Optional<Account> account = users.account(request.userId()).filter(a -> !a.disabled());
    if (account.isEmpty()) {
      return new TokenOutcome.Refused(INVALID_GRANT, "The user can no longer sign in.");
    }
    Set<String> scopes = Scopes.parse(request.scope());
    SessionTokens session =
        sessions.start(
            new AuthenticatedUser(
                account.get().id(), account.get().email(), account.get().emailVerified(), false),
            tokens,
            scopes.contains(Scopes.OFFLINE_ACCESS),
            request.amr(),
            dpopKey);
    codes.issued(redeemed.codeHash(), session.sid());
    OidcGrant grant =
        new OidcGrant(
            session.sid(),
            clientId,
            account.get().id(),
            request.ssoIdHash(),
            scopes,
            request.authTime(),
            request.amr());
    grants.record(grant);
    return issued(session, account.get(), grant, request.nonce());
  }

  /**
   * @param dpopKey the thumbprint of the key of the request's valid DPoP proof, null without one
   */
  public TokenOutcome refresh(String clientId, String refreshToken, String dpopKey) {
    if (!refreshProtocol.enabled()) {
      return new TokenOutcome.Refused("unsupported_grant_type", "Refresh tokens are off.");
    }
    Optional<OidcGrant> grant = sessions.sessionOfRefreshToken(refreshToken).flatMap(grants::find);
    if (grant.isEmpty() || !grant.get().clientId().equals(clientId)) {
      // another client's (or a first-party) refresh token: refused, and left as it is
      return new TokenOutcome.Refused(INVALID_GRANT, "The refresh token is not valid.");
    }
    SessionTokens session;
    try {
      session = refreshProtocol.refresh(refreshToken, tokens, dpopKey);
    } catch (RefreshRejected e) {
      if (e.reason() == RefreshFailure.WRONG_DPOP_KEY) {
        return new TokenOutcome.Refused(
            INVALID_DPOP_PROOF, "The refresh token is bound to another DPoP key.");
      }
      return new TokenOutcome.Refused(INVALID_GRANT, "The refresh token is not valid.");
    }
    Optional<Account> account = users.account(grant.get().userId()).filter(a -> !a.disabled());
    if (account.isEmpty()) {
      return new TokenOutcome.Refused(INVALID_GRANT, "The user can no longer sign in.");
    }
    return issued(session, account.get(), grant.get(), null);
  }

  private TokenOutcome issued(
      SessionTokens session, Account account, OidcGrant grant, String nonce) {
    String idToken =
        idTokens.sign(new IdTokens.Subject(account, grant, nonce, session.access().token()));
    return new TokenOutcome.Issued(session, idToken, grant.scope());
  }
}
