package dev.latchkey.server.oidc;

import dev.latchkey.server.delivery.SessionTokenVerifier;
import dev.latchkey.server.oidc.SingleSignOn.SsoSession;
import dev.latchkey.server.sessions.SessionInfo;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.users.Account;
import dev.latchkey.server.users.Users;
import dev.latchkey.verifier.VerifiedToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Who is signed in at the auth server, for an authorization request: the browser's single-sign-on
 * session, else the session the hosted login page has just set (its cookie), turned into a
 * single-sign-on session; either only when the sign-in is recent enough for the request ({@code
 * prompt=login}, {@code max_age}) and the account may still sign in. The one place that decides
 * whether {@code /authorize} needs the password again.
 */
public final class BrowserAuthentication {
  private final SingleSignOn singleSignOn;
  private final SessionTokenVerifier ownTokens;
  private final Sessions sessions;
  private final Users users;
  private final Clock clock;

  public BrowserAuthentication(
      SingleSignOn singleSignOn,
      SessionTokenVerifier ownTokens,
      Sessions sessions,
      Users users,
      Clock clock) {
    this.singleSignOn = singleSignOn;
    this.ownTokens = ownTokens;
    this.sessions = sessions;
    this.users = users;
    this.clock = clock;
  }

  /**
   * How recent a sign-in a request needs.
   *
   * @param signedInSince a sign-in at or after this instant ({@code prompt=login} once the browser
   *     was sent to the login page), or {@code null}
   * @param maxAge the request's {@code max_age}, or {@code null}
   */
  public record Requirement(Instant signedInSince, Duration maxAge) {}

  /**
   * The browser's sign-in.
   *
   * @param newCookie the single-sign-on cookie value to set when this request started the session,
   *     else {@code null}
   */
  public record Current(SsoSession session, String newCookie) {}

  /** How long a new single-sign-on cookie lives. */
  public Duration cookieLifetime() {
    return singleSignOn.lifetime();
  }

  /**
   * @param ssoCookie the single-sign-on cookie's value, or {@code null}
   * @param hostedSessionToken the hosted login page's session cookie's token, or {@code null}
   */
  public Optional<Current> current(
      String ssoCookie, String hostedSessionToken, Requirement requirement) {
    Optional<SsoSession> sso =
        singleSignOn
            .find(ssoCookie)
            .filter(s -> satisfies(s.authTime(), requirement))
            .filter(s -> maySignIn(s.userId()));
    if (sso.isPresent()) {
      return Optional.of(new Current(sso.get(), null));
    }
    Optional<SessionInfo> hosted =
        ownTokens
            .verify(hostedSessionToken)
            .map(VerifiedToken::sessionId)
            .flatMap(sessions::find)
            .filter(s -> s.revokedAt() == null)
            .filter(s -> satisfies(s.createdAt(), requirement))
            .filter(s -> maySignIn(s.userId()));
    if (hosted.isEmpty()) {
      return Optional.empty();
    }
    SessionInfo session = hosted.get();
    String cookie =
        singleSignOn.start(session.userId(), session.sid(), session.createdAt(), session.amr());
    return singleSignOn.find(cookie).map(s -> new Current(s, cookie));
  }

  private boolean satisfies(Instant authTime, Requirement r) {
    boolean freshEnough = r.signedInSince() != null && !authTime.isBefore(r.signedInSince());
    if (r.signedInSince() != null && !freshEnough) {
      return false;
    }
    return r.maxAge() == null
        || freshEnough
        || !authTime.plus(r.maxAge()).isBefore(clock.instant());
  }

  private boolean maySignIn(String userId) {
    return users.account(userId).filter(a -> !a.disabled()).map(Account::id).isPresent();
  }
}
