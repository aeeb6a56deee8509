package dev.latchkey.server.http.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.CsrfToken;
import dev.latchkey.server.oidc.IdTokens;
import dev.latchkey.server.oidc.OidcClient;
import dev.latchkey.server.oidc.OidcClients;
import dev.latchkey.server.oidc.OidcLogout;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET/POST /logout}: OpenID Connect RP-Initiated Logout 1.0. Ends the single-sign-on session
 * and revokes its sessions; then back to the client's {@code post_logout_redirect_uri} (with its
 * {@code state}) when the client registered exactly that URI, else a page saying so. When the
 * browser's own session does not stand for the request ({@link OidcLogout#endsWithoutAsking}), the
 * user is asked first, and only their posted answer, with the hosted pages' anti-CSRF token, ends
 * anything.
 */
public final class EndSessionRoute {
  /** The logout request's parameters that the question posts back. */
  private static final List<String> CARRIED =
      List.of("id_token_hint", "client_id", "post_logout_redirect_uri", "state");

  private static final String CONFIRM = "confirm";
  private static final String CSRF = "csrf";

  private final IdTokens idTokens;
  private final OidcClients clients;
  private final OidcLogout logout;
  private final BrowserCookies cookies;

  public EndSessionRoute(
      IdTokens idTokens, OidcClients clients, OidcLogout logout, BrowserCookies cookies) {
    this.idTokens = idTokens;
    this.clients = clients;
    this.logout = logout;
    this.cookies = cookies;
  }

  public void handle(Context ctx) {
    Optional<ProtocolParams> read = ProtocolParams.of(ctx);
    if (read.isEmpty() || read.get().repeated().isPresent()) {
      OidcPages.error(ctx, 400, "invalid_request", "This logout request cannot be read.");
      return;
    }
    LogoutRequest request;
    try {
      request = LogoutRequest.parse(read.get().all());
    } catch (ParseException e) {
      OidcPages.error(ctx, 400, "invalid_request", "This logout request cannot be read.");
      return;
    }
    Optional<JWTClaimsSet> hint = Optional.empty();
    if (request.getIDTokenHint() != null) {
      hint = idTokens.readHint(request.getIDTokenHint().serialize());
      if (hint.isEmpty()) {
        OidcPages.error(ctx, 400, "invalid_request", "The id_token_hint is not one of ours.");
        return;
      }
    }
    String clientId =
        request.getClientID() != null
            ? request.getClientID().getValue()
            : hint.map(h -> h.getAudience().isEmpty() ? null : h.getAudience().get(0)).orElse(null);
    if (hint.isPresent() && clientId != null && !hint.get().getAudience().contains(clientId)) {
      OidcPages.error(
          ctx, 400, "invalid_request", "The id_token_hint was issued to another application.");
      return;
    }
    String returnTo =
        request.getPostLogoutRedirectionURI() == null
            ? null
            : request.getPostLogoutRedirectionURI().toString();
    if (returnTo != null) {
      Optional<OidcClient> client = clients.find(clientId);
      if (client.isEmpty() || !client.get().returnsAfterLogoutTo(returnTo)) {
        OidcPages.error(
            ctx,
            400,
            "invalid_request",
            "The post_logout_redirect_uri is not one this application registered.");
        return;
      }
    }
    String hintSid =
        hint.map(h -> h.getClaim("sid") instanceof String sid ? sid : null).orElse(null);
    OidcLogout.Request ending = logout.read(cookies.singleSignOn(ctx), hintSid);
    if (!logout.endsWithoutAsking(ending)) {
      boolean answered = ctx.method().name().equals("POST") && read.get().get(CONFIRM) != null;
      if (!answered || !CsrfToken.matches(cookies.hostedLoginCsrf(ctx), read.get().get(CSRF))) {
        ask(ctx, answered ? 403 : 200, read.get(), returnTo);
        return;
      }
    }
    logout.end(ending, clientId);
    cookies.clearSingleSignOn(ctx);
    cookies.clearOnLogout(ctx);
    if (returnTo == null) {
      OidcPages.signedOut(ctx);
      return;
    }
    State state = request.getState();
    String location = returnTo;
    if (state != null) {
      Map<String, List<String>> q = new LinkedHashMap<>();
      q.put("state", List.of(state.getValue()));
      location += (returnTo.contains("?") ? "&" : "?") + URLUtils.serializeParameters(q);
    }
    ctx.header("Cache-Control", "no-store");
    ctx.status(302).header("Location", location);
  }

  private void ask(Context ctx, int status, ProtocolParams params, String returnTo) {
    String csrf = CsrfToken.forForm(cookies, ctx);
    Map<String, String> fields = new LinkedHashMap<>();
    for (String name : CARRIED) {
      if (params.get(name) != null) {
        fields.put(name, params.get(name));
      }
    }
    fields.put(CSRF, csrf);
    fields.put(CONFIRM, "yes");
    OidcPages.confirmLogout(ctx, status, fields, returnTo);
  }
}
