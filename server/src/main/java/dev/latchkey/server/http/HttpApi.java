package dev.latchkey.server.http;

import dev.latchkey.server.hosted.AccountPages;
import dev.latchkey.server.hosted.LoginPage;
import dev.latchkey.server.http.accounts.AccountRoutes;
import dev.latchkey.server.http.exchange.Failures;
import dev.latchkey.server.http.feed.RevocationFeedRoute;
import dev.latchkey.server.http.hostedlogin.HostedAccountRoutes;
import dev.latchkey.server.http.hostedlogin.HostedLoginRoutes;
import dev.latchkey.server.http.jwks.KeyDiscoveryRoutes;
import dev.latchkey.server.http.login.LoginRoute;
import dev.latchkey.server.http.mfa.SecondFactorRoutes;
import dev.latchkey.server.http.oidc.OidcRoutes;
import dev.latchkey.server.http.passkeys.PasskeyRoutes;
import dev.latchkey.server.http.session.LogoutRoute;
import dev.latchkey.server.http.session.RefreshRoute;
import dev.latchkey.server.http.session.SessionStatusRoute;
import dev.latchkey.server.http.signup.SignupRoute;
import dev.latchkey.server.metrics.ServerMetrics;
import dev.latchkey.server.oidc.ProviderMetadata;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;

/**
 * The HTTP endpoints of the auth server: which route answers which path, and where failures go (the
 * one mapping, {@link Failures}). The routes are built by the server's root and handed in.
 */
public final class HttpApi {
  private static final String GET = "GET";
  private static final String POST = "POST";
  private static final String DELETE = "DELETE";

  /**
   * The route families, built by the server's root.
   *
   * @param hostedLogin the hosted login page, or {@code null} when it is switched off
   * @param hostedAccounts the hosted account pages, or {@code null} with the login page off
   * @param oidc the OpenID provider's endpoints, or {@code null} with the login page off (it is
   *     where their users sign in)
   */
  public record Routes(
      LoginRoute login,
      SignupRoute signup,
      KeyDiscoveryRoutes keyDiscovery,
      HealthRoute health,
      SessionStatusRoute sessionStatus,
      LogoutRoute logout,
      RefreshRoute refresh,
      RevocationFeedRoute revocations,
      AccountRoutes accounts,
      SecondFactorRoutes secondFactors,
      PasskeyRoutes passkeys,
      HostedLoginRoutes hostedLogin,
      HostedAccountRoutes hostedAccounts,
      OidcRoutes oidc) {}

  private final HttpSettings http;
  private final Cors cors;
  private final Routes routes;
  private final ServerMetrics metrics;

  public HttpApi(HttpSettings http, Routes routes, ServerMetrics metrics) {
    this.http = http;
    this.cors = new Cors(http.corsOrigins());
    this.routes = routes;
    this.metrics = metrics;
  }

  /** Creates (does not start) the Javalin app. */
  public Javalin create() {
    return Javalin.create(this::configure);
  }

  private void configure(JavalinConfig c) {
    JavalinSetup.configure(c, http, cors, metrics);
    table(new RouteTable(c, cors));
    c.routes.after(KeyDiscoveryRoutes.JWKS_PATH, ctx -> metrics.jwksRequest());
    c.routes.exception(Exception.class, (e, ctx) -> Failures.write(ctx, e));
    c.routes.error(404, "*", Failures::notFound);
    c.routes.error(405, "*", Failures::notFound);
  }

  private void table(RouteTable t) {
    Routes r = routes;
    t.api(POST, "/api/login", r.login()::handle)
        .api(POST, "/api/login/mfa", r.login()::secondStep)
        .api(POST, "/api/signup", r.signup()::handle)
        .api(GET, "/api/session", r.sessionStatus()::handle)
        .api(POST, "/api/logout", r.logout()::handle)
        // The refresh cookie is scoped to /api/refresh, so a browser sends it only below that
        // path: this alias lets a client whose access token is gone still end its refresh session.
        .api(POST, "/api/refresh/logout", r.logout()::handleRefreshLogout)
        .api(POST, "/api/refresh", r.refresh()::handle)
        .api(POST, "/api/email-verification", r.accounts()::resendVerification)
        .api(POST, "/api/email-verification/confirm", r.accounts()::confirmEmail)
        .api(POST, "/api/password-reset", r.accounts()::requestReset)
        .api(POST, "/api/password-reset/confirm", r.accounts()::confirmReset)
        .api(POST, "/api/password", r.accounts()::changePassword)
        .api(GET, "/api/mfa", r.secondFactors()::summary)
        .api(POST, "/api/mfa/totp", r.secondFactors()::startTotp)
        .api(DELETE, "/api/mfa/totp", r.secondFactors()::removeTotp)
        .api(POST, "/api/mfa/totp/confirm", r.secondFactors()::confirmTotp)
        .api(POST, "/api/mfa/recovery-codes", r.secondFactors()::regenerateRecoveryCodes)
        .api(POST, "/api/passkeys/registration/options", r.passkeys()::registrationOptions)
        .api(POST, "/api/passkeys/registration", r.passkeys()::register)
        .api(GET, "/api/passkeys", r.passkeys()::list)
        .api(DELETE, "/api/passkeys/{id}", r.passkeys()::remove)
        .api(POST, "/api/passkeys/login/options", r.login()::passkeyOptions)
        .api(POST, "/api/passkeys/login", r.login()::passkeyLogin);
    t.plain(GET, KeyDiscoveryRoutes.JWKS_PATH, r.keyDiscovery()::jwks)
        .plain(GET, "/.well-known/openid-configuration", r.keyDiscovery()::discovery)
        .plain(GET, "/health", r.health()::handle)
        .plain(GET, "/health/ready", r.health()::handle)
        .plain(GET, "/health/live", r.health()::live)
        .plain(GET, "/api/revocations", r.revocations()::handle);
    if (r.hostedLogin() != null) {
      t.plain(GET, "/login", r.hostedLogin()::show)
          .plain(POST, "/login", r.hostedLogin()::submit)
          .plain(GET, "/login/done", r.hostedLogin()::done)
          .plain(GET, LoginPage.PASSKEY_SCRIPT_PATH, r.hostedLogin()::passkeyScript)
          .plain(GET, AccountPages.FORGOT_PATH, r.hostedAccounts()::showForgot)
          .plain(POST, AccountPages.FORGOT_PATH, r.hostedAccounts()::submitForgot)
          .plain(GET, AccountPages.RESET_PATH, r.hostedAccounts()::showReset)
          .plain(POST, AccountPages.RESET_PATH, r.hostedAccounts()::submitReset)
          .plain(GET, AccountPages.VERIFY_PATH, r.hostedAccounts()::showVerify)
          .plain(POST, AccountPages.VERIFY_PATH, r.hostedAccounts()::submitVerify);
    }
    if (r.oidc() != null) {
      OidcRoutes o = r.oidc();
      t.plain(GET, ProviderMetadata.AUTHORIZE_PATH, o.authorize()::handle)
          .plain(POST, ProviderMetadata.AUTHORIZE_PATH, o.authorize()::handle)
          .api(POST, ProviderMetadata.TOKEN_PATH, o.token()::handle)
          .api(GET, ProviderMetadata.USERINFO_PATH, o.userInfo()::handle)
          .api(POST, ProviderMetadata.USERINFO_PATH, o.userInfo()::handle)
          .plain(GET, ProviderMetadata.LOGOUT_PATH, o.endSession()::handle)
          .plain(POST, ProviderMetadata.LOGOUT_PATH, o.endSession()::handle);
    }
  }
}
