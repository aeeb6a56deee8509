package dev.latchkey.server;

import dev.latchkey.server.accounts.Accounts;
import dev.latchkey.server.delivery.DeliverySettings;
import dev.latchkey.server.delivery.SessionTokenVerifier;
import dev.latchkey.server.http.HealthRoute;
import dev.latchkey.server.http.HttpApi;
import dev.latchkey.server.http.accounts.AccountRoutes;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.RequestAddress;
import dev.latchkey.server.http.exchange.SessionAnswer;
import dev.latchkey.server.http.exchange.SignedInUsers;
import dev.latchkey.server.http.feed.RevocationFeedRoute;
import dev.latchkey.server.http.hostedlogin.HostedAccountRoutes;
import dev.latchkey.server.http.hostedlogin.HostedLoginRoutes;
import dev.latchkey.server.http.jwks.KeyDiscoveryRoutes;
import dev.latchkey.server.http.login.LoginRoute;
import dev.latchkey.server.http.mfa.SecondFactorRoutes;
import dev.latchkey.server.http.session.LogoutRoute;
import dev.latchkey.server.http.session.RefreshRoute;
import dev.latchkey.server.http.session.SessionStatusRoute;
import dev.latchkey.server.http.signup.SignupRoute;
import dev.latchkey.server.metrics.ServerMetrics;
import dev.latchkey.server.sessions.SessionSettings;
import dev.latchkey.server.signin.SignIn;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.HashingPool;

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
            accounts,
            store.sessions(),
            tokens,
            hashing,
            store.audit(),
            metrics,
            store.secondFactors(),
            store.pendingSignIns());
    BrowserCookies cookies =
        new BrowserCookies(delivery, sessions.tokenLength(), sessions.refresh(), config.clock());
    SessionAnswer answer = new SessionAnswer(delivery.mode());
    RequestAddress clientAddress = new RequestAddress(sessions.trustedProxies());
    SessionTokenVerifier ownTokens =
        new SessionTokenVerifier(
            store.keys(),
            tokens.issuer(),
            tokens.audience(),
            tokens.type().getType(),
            config.clock(),
            config.keys().clockSkew());

    HttpApi.Routes routes =
        new HttpApi.Routes(
            new LoginRoute(signIn, clientAddress, cookies, answer, config.clock()),
            new SignupRoute(config.http().signupEnabled(), accounts, hashing, clientAddress),
            new KeyDiscoveryRoutes(
                store.keys(),
                tokens.issuer(),
                url,
                config.keys().algorithm(),
                config.keys().jwksMaxAge()),
            new HealthRoute(store.database(), store.keys()),
            new SessionStatusRoute(cookies, ownTokens, store.sessions(), answer),
            new LogoutRoute(
                store.sessions(), store.sessionRevocation(), cookies, ownTokens, metrics),
            new RefreshRoute(
                sessions.refresh().enabled(),
                store.refreshProtocol(),
                tokens,
                cookies,
                answer,
                metrics),
            new RevocationFeedRoute(
                store.revocations(), config.clock(), sessions.revocationPollInterval()),
            new AccountRoutes(
                accounts,
                hashing,
                signIn,
                store.sessions(),
                ownTokens,
                cookies,
                clientAddress,
                tokens,
                answer),
            new SecondFactorRoutes(
                store.secondFactors(),
                store.users(),
                signIn,
                new SignedInUsers(ownTokens, cookies, store.sessions()),
                clientAddress),
            delivery.hostedLogin()
                ? new HostedLoginRoutes(
                    signIn, clientAddress, cookies, delivery.returnToPolicy(), url)
                : null,
            delivery.hostedLogin()
                ? new HostedAccountRoutes(accounts, hashing, cookies, signIn, clientAddress)
                : null);
    return new HttpApi(config.http(), routes, metrics);
  }
}
