package dev.latchkey.server;

import dev.latchkey.server.accounts.Accounts;
import dev.latchkey.server.delivery.DeliverySettings;
import dev.latchkey.server.delivery.SessionTokenVerifier;
import dev.latchkey.server.hosted.ReturnToPolicy;
import dev.latchkey.server.http.HealthRoute;
import dev.latchkey.server.http.HttpApi;
import dev.latchkey.server.http.accounts.AccountRoutes;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.DpopProofs;
import dev.latchkey.server.http.exchange.PresentedTokens;
import dev.latchkey.server.http.exchange.RequestAddress;
import dev.latchkey.server.http.exchange.SessionAnswer;
import dev.latchkey.server.http.exchange.SignedInUsers;
import dev.latchkey.server.http.feed.RevocationFeedRoute;
import dev.latchkey.server.http.hostedlogin.HostedAccountRoutes;
import dev.latchkey.server.http.hostedlogin.HostedLoginRoutes;
import dev.latchkey.server.http.jwks.KeyDiscoveryRoutes;
import dev.latchkey.server.http.login.LoginRoute;
import dev.latchkey.server.http.mfa.SecondFactorRoutes;
import dev.latchkey.server.http.oidc.AuthorizeRoute;
import dev.latchkey.server.http.oidc.EndSessionRoute;
import dev.latchkey.server.http.oidc.OidcRoutes;
import dev.latchkey.server.http.oidc.TokenRoute;
import dev.latchkey.server.http.oidc.UserInfoRoute;
import dev.latchkey.server.http.passkeys.PasskeyRoutes;
import dev.latchkey.server.http.session.LogoutRoute;
import dev.latchkey.server.http.session.RefreshRoute;
import dev.latchkey.server.http.session.SessionStatusRoute;
import dev.latchkey.server.http.signup.SignupRoute;
import dev.latchkey.server.metrics.OidcMetrics;
import dev.latchkey.server.metrics.ServerMetrics;
import dev.latchkey.server.oidc.AuthorizationCodes;
import dev.latchkey.server.oidc.BrowserAuthentication;
import dev.latchkey.server.oidc.IdTokens;
import dev.latchkey.server.oidc.OidcClients;
import dev.latchkey.server.oidc.OidcEvents;
import dev.latchkey.server.oidc.OidcGrants;
import dev.latchkey.server.oidc.OidcLogout;
import dev.latchkey.server.oidc.OidcTokens;
import dev.latchkey.server.oidc.ProviderMetadata;
import dev.latchkey.server.oidc.SingleSignOn;
import dev.latchkey.server.passkeys.Passkeys;
import dev.latchkey.server.passkeys.RelyingParty;
import dev.latchkey.server.sessions.SessionSettings;
import dev.latchkey.server.signin.PasskeySignIn;
import dev.latchkey.server.signin.SignIn;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.HashingPool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The composition of the HTTP side: the sign-in flow, the cookies, the own-token verifier and each
 * route family with only the settings and collaborators it uses. The one place that reads the
 * configuration for HTTP.
 */
final class HttpWiring {
  private HttpWiring() {}

  /** The services beside the store that the routes use. */
  record Services(
      TokenIssuer tokens, HashingPool hashing, Accounts accounts, ServerMetrics metrics) {}

  static HttpApi api(AuthServerConfig config, AuthStore store, Services services, String url) {
    TokenIssuer tokens = services.tokens();
    HashingPool hashing = services.hashing();
    Accounts accounts = services.accounts();
    ServerMetrics metrics = services.metrics();
    DeliverySettings delivery = config.delivery();
    SessionSettings sessions = config.sessions();

    SignIn signIn =
        new SignIn(
            store.throttle(),
            store.devices(),
            store.users(),
            accounts.settings().requireVerifiedEmail(),
            store.sessions(),
            tokens,
            hashing,
            store.audit(),
            metrics,
            store.secondFactors(),
            store.pendingSignIns());
    Passkeys passkeys =
        new Passkeys(
            store.database(),
            RelyingParty.of(config.http().rpId(), url, config.http().corsOrigins()),
            config.clock(),
            store.audit());
    PasskeySignIn passkeySignIn =
        new PasskeySignIn(
            store.throttle(),
            store.devices(),
            store.users(),
            accounts.settings().requireVerifiedEmail(),
            store.sessions(),
            tokens,
            store.audit(),
            metrics,
            passkeys,
            store.pendingSignIns());
    BrowserCookies cookies =
        new BrowserCookies(delivery, sessions.tokenLength(), sessions.refresh(), config.clock());
    SessionAnswer answer = new SessionAnswer(delivery.mode());
    DpopProofs proofs = new DpopProofs(store.tokenBinding(), url, delivery.mode().tokenInBody());
    RequestAddress clientAddress = new RequestAddress(sessions.trustedProxies());
    SessionTokenVerifier ownTokens =
        new SessionTokenVerifier(
            store.keys(),
            tokens.issuer(),
            tokens.audience(),
            tokens.type().getType(),
            config.clock(),
            config.keys().clockSkew(),
            store.tokenBinding().checker());
    PresentedTokens presented = new PresentedTokens(ownTokens, proofs);
    SignedInUsers signedInUsers =
        new SignedInUsers(presented, ownTokens, cookies, store.sessions());
    HttpApi.Routes routes =
        new HttpApi.Routes(
            new LoginRoute(
                signIn, passkeySignIn, clientAddress, cookies, answer, proofs, config.clock()),
            new SignupRoute(config.http().signupEnabled(), accounts, hashing, clientAddress),
            new KeyDiscoveryRoutes(
                store.keys(),
                tokens.issuer(),
                url,
                config.keys().algorithm(),
                config.keys().jwksMaxAge(),
                delivery.hostedLogin()
                    ? ProviderMetadata.of(url, sessions.refresh().enabled())
                    : ProviderMetadata.off()),
            new HealthRoute(store.database(), store.keys()),
            new SessionStatusRoute(
                cookies, ownTokens, presented, store.sessions(), answer, proofs, tokens),
            new LogoutRoute(
                store.sessions(),
                store.sessionRevocation(),
                cookies,
                ownTokens,
                presented,
                metrics),
            new RefreshRoute(
                sessions.refresh().enabled(),
                store.refreshProtocol(),
                tokens,
                cookies,
                answer,
                proofs,
                metrics),
            new RevocationFeedRoute(
                store.revocations(), config.clock(), sessions.revocationPollInterval()),
            new AccountRoutes(
                accounts,
                hashing,
                signIn,
                store.sessions(),
                signedInUsers,
                cookies,
                clientAddress,
                tokens,
                answer),
            new SecondFactorRoutes(
                store.secondFactors(), store.users(), signIn, signedInUsers, clientAddress),
            new PasskeyRoutes(passkeys, store.users(), signedInUsers),
            delivery.hostedLogin()
                ? new HostedLoginRoutes(
                    signIn,
                    passkeySignIn,
                    clientAddress,
                    cookies,
                    returningToAuthorize(delivery, url),
                    url)
                : null,
            delivery.hostedLogin()
                ? new HostedAccountRoutes(accounts, hashing, cookies, signIn, clientAddress)
                : null,
            delivery.hostedLogin()
                ? oidc(config, store, tokens, cookies, ownTokens, url, metrics)
                : null);
    return new HttpApi(config.http(), routes, metrics);
  }

  /** The hosted page's return-to policy, which also lets it send the browser back to /authorize. */
  private static ReturnToPolicy returningToAuthorize(DeliverySettings delivery, String url) {
    ReturnToPolicy configured = delivery.returnToPolicy();
    List<String> entries = new ArrayList<>(configured.entries());
    entries.add(url + ProviderMetadata.AUTHORIZE_PATH);
    return ReturnToPolicy.of(entries, configured.defaultTarget());
  }

  /** The OpenID provider: its domain components on the store, and its routes. */
  private static OidcRoutes oidc(
      AuthServerConfig config,
      AuthStore store,
      TokenIssuer tokens,
      BrowserCookies cookies,
      SessionTokenVerifier ownTokens,
      String url,
      ServerMetrics metrics) {
    OidcEvents events = new OidcMetrics(metrics.registry());
    SessionSettings sessions = config.sessions();
    Clock clock = config.clock();
    SingleSignOn singleSignOn = SingleSignOn.forSessions(store.database(), sessions, clock);
    OidcGrants grants = new OidcGrants(store.database(), clock);
    IdTokens idTokens = new IdTokens(store.keys(), tokens.issuer(), sessions.tokenLength(), clock);
    OidcClients clients = store.oidcClients();
    // Not the session routes' DpopProofs: theirs binds what it issues (and offers nonces) only when
    // the delivery hands the token to script (body or both; HttpOnly cookie tokens are never
    // bound), while /token answers its client in the body whatever the delivery, so this one binds
    // in cookie mode too.
    DpopProofs proofs = new DpopProofs(store.tokenBinding(), url, true);
    return new OidcRoutes(
        new AuthorizeRoute(
            clients,
            new BrowserAuthentication(
                singleSignOn, ownTokens, store.sessions(), store.users(), clock),
            new AuthorizationCodes(store.database(), clock),
            cookies,
            tokens.issuer(),
            url,
            clock,
            events),
        new TokenRoute(
            clients,
            new OidcTokens(
                new AuthorizationCodes(store.database(), clock),
                grants,
                store.sessions(),
                store.refreshProtocol(),
                store.sessionRevocation(),
                tokens,
                idTokens,
                store.users(),
                store.audit()),
            proofs,
            url,
            events),
        new UserInfoRoute(
            new PresentedTokens(ownTokens, proofs), store.sessions(), grants, store.users()),
        new EndSessionRoute(
            idTokens,
            clients,
            new OidcLogout(singleSignOn, store.sessionRevocation(), store.audit()),
            cookies));
  }
}
