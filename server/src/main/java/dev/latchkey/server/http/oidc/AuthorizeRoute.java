package dev.latchkey.server.http.oidc;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.AuthenticationErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.OIDCError;
import com.nimbusds.openid.connect.sdk.Prompt;
import dev.latchkey.server.hosted.LoginPage;
import dev.latchkey.server.http.exchange.BrowserCookies;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.oidc.AuthorizationCodes;
import dev.latchkey.server.oidc.BrowserAuthentication;
import dev.latchkey.server.oidc.BrowserAuthentication.Current;
import dev.latchkey.server.oidc.BrowserAuthentication.Requirement;
import dev.latchkey.server.oidc.CodeRequest;
import dev.latchkey.server.oidc.OidcClient;
import dev.latchkey.server.oidc.OidcClients;
import dev.latchkey.server.oidc.OidcEvents;
import dev.latchkey.server.oidc.ProviderMetadata;
import dev.latchkey.server.oidc.Scopes;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET/POST /authorize}: the authorization code flow with PKCE {@code S256}. An unknown
 * client or a redirect URI it did not register gets an error page and is never redirected to; every
 * other error goes back to the client ({@code error}, {@code state}, {@code iss}). A browser that
 * is not signed in (or not recently enough) is sent to the hosted login page, which sends it back
 * here.
 */
public final class AuthorizeRoute {
  /**
   * Added to the request when the browser is sent to the login page: a sign-in at or after this
   * time (epoch seconds) satisfies {@code prompt=login} and {@code max_age} on its way back.
   */
  static final String SIGNED_IN_SINCE = "latchkey_signed_in_since";

  private static final int MAX_LOGIN_HINT = 254;

  private final OidcClients clients;
  private final BrowserAuthentication browsers;
  private final AuthorizationCodes codes;
  private final BrowserCookies cookies;
  private final Issuer issuer;
  private final String publicUrl;
  private final Clock clock;
  private final OidcEvents events;

  public AuthorizeRoute(
      OidcClients clients,
      BrowserAuthentication browsers,
      AuthorizationCodes codes,
      BrowserCookies cookies,
      String issuer,
      String publicUrl,
      Clock clock,
      OidcEvents events) {
    this.clients = clients;
    this.browsers = browsers;
    this.codes = codes;
    this.cookies = cookies;
    this.issuer = new Issuer(issuer);
    this.publicUrl = publicUrl;
    this.clock = clock;
    this.events = events;
  }

  public void handle(Context ctx) {
    Caching.noStore(ctx);
    Optional<ProtocolParams> read = ProtocolParams.of(ctx);
    if (read.isEmpty()) {
      OidcPages.error(
          ctx, 415, "invalid_request", "Send the authorization request as a query or a form.");
      return;
    }
    ProtocolParams params = read.get();
    // 1. who to answer: until the client and its redirect URI are known, only a page
    String clientId = params.get("client_id");
    Optional<OidcClient> client = clients.find(clientId);
    if (client.isEmpty()) {
      events.authorization(OidcEvents.UNKNOWN_CLIENT);
      OidcPages.error(ctx, 400, "invalid_client", "This application is not registered here.");
      return;
    }
    String redirectUri = params.get("redirect_uri");
    if (redirectUri == null || !client.get().redirectsTo(redirectUri)) {
      events.authorization(OidcEvents.REDIRECT_URI_MISMATCH);
      OidcPages.error(
          ctx,
          400,
          "invalid_redirect_uri",
          "The redirect_uri is not one this application registered.");
      return;
    }
    URI redirect = URI.create(redirectUri);
    State state = State.parse(params.get("state"));
    // 2. every other error goes back to the client
    Optional<ErrorObject> invalid =
        params
            .repeated()
            .map(
                name ->
                    OAuth2Error.INVALID_REQUEST.setDescription(
                        "Parameter " + name + " is repeated."));
    if (invalid.isEmpty()) {
      invalid = requestObject(params);
    }
    AuthenticationRequest request = null;
    if (invalid.isEmpty()) {
      try {
        request = AuthenticationRequest.parse(params.all());
      } catch (ParseException e) {
        invalid =
            Optional.of(
                e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST);
      } catch (IllegalArgumentException e) { // the SDK refused its own description of the error
        invalid =
            Optional.of(OAuth2Error.INVALID_REQUEST.setDescription("The request is malformed."));
      }
    }
    if (invalid.isEmpty()) {
      invalid = unsupported(request);
    }
    if (invalid.isPresent()) {
      events.authorization(OidcEvents.REFUSED);
      redirectError(ctx, redirect, invalid.get(), state);
      return;
    }
    authenticate(ctx, params, client.get(), redirectUri, request);
  }

  /** Request objects, refused before they are read (the SDK would parse the JWT). */
  private static Optional<ErrorObject> requestObject(ProtocolParams params) {
    if (params.get("request") != null) {
      return Optional.of(OAuth2Error.REQUEST_NOT_SUPPORTED);
    }
    if (params.get("request_uri") != null) {
      return Optional.of(OAuth2Error.REQUEST_URI_NOT_SUPPORTED);
    }
    return Optional.empty();
  }

  /** What this provider does not do, as the client is told it. */
  private static Optional<ErrorObject> unsupported(AuthenticationRequest r) {
    if (!r.getResponseType().equals(ResponseType.CODE)) {
      return Optional.of(
          OAuth2Error.UNSUPPORTED_RESPONSE_TYPE.setDescription("Only response_type=code."));
    }
    if (r.getResponseMode() != null && !r.getResponseMode().equals(ResponseMode.QUERY)) {
      return Optional.of(OAuth2Error.INVALID_REQUEST.setDescription("Only response_mode=query."));
    }
    if (r.getCodeChallenge() == null) {
      return Optional.of(
          OAuth2Error.INVALID_REQUEST.setDescription("PKCE is required: send a code_challenge."));
    }
    if (!CodeChallengeMethod.S256.equals(r.getCodeChallengeMethod())) {
      return Optional.of(
          OAuth2Error.INVALID_REQUEST.setDescription(
              "Only code_challenge_method=S256; plain is refused."));
    }
    Prompt prompt = r.getPrompt();
    if (prompt != null) {
      for (Prompt.Type t : prompt) {
        if (t != Prompt.Type.NONE && t != Prompt.Type.LOGIN) {
          return Optional.of(
              OAuth2Error.INVALID_REQUEST.setDescription(
                  "prompt=" + t + " is not supported (none and login are)."));
        }
      }
      if (prompt.contains(Prompt.Type.NONE) && prompt.size() > 1) {
        return Optional.of(OAuth2Error.INVALID_REQUEST.setDescription("prompt=none goes alone."));
      }
    }
    return Optional.empty();
  }

  private void authenticate(
      Context ctx,
      ProtocolParams params,
      OidcClient client,
      String redirectUri,
      AuthenticationRequest request) {
    URI redirect = URI.create(redirectUri);
    Prompt prompt = request.getPrompt();
    boolean promptLogin = prompt != null && prompt.contains(Prompt.Type.LOGIN);
    boolean promptNone = prompt != null && prompt.contains(Prompt.Type.NONE);
    Instant since = signedInSince(params.get(SIGNED_IN_SINCE));
    Duration maxAge = request.getMaxAge() >= 0 ? Duration.ofSeconds(request.getMaxAge()) : null;
    Optional<Current> current =
        promptLogin && since == null
            ? Optional.empty()
            : browsers.current(
                cookies.singleSignOn(ctx),
                cookies.sessionToken(ctx).orElse(null),
                new Requirement(since, maxAge));
    if (current.isEmpty()) {
      if (promptNone) {
        events.authorization(OidcEvents.LOGIN_REQUIRED);
        redirectError(ctx, redirect, OIDCError.LOGIN_REQUIRED, request.getState());
      } else {
        events.authorization(OidcEvents.LOGIN_PAGE);
        toLoginPage(ctx, params, request.getLoginHint());
      }
      return;
    }
    Current signedIn = current.get();
    if (signedIn.newCookie() != null) {
      cookies.setSingleSignOn(ctx, signedIn.newCookie(), browsers.cookieLifetime());
    }
    Set<String> scopes = Scopes.granted(request.getScope().toStringList());
    String code =
        codes.issue(
            new CodeRequest(
                client.clientId(),
                redirectUri,
                request.getCodeChallenge().getValue(),
                signedIn.session().userId(),
                signedIn.session().idHash(),
                String.join(" ", scopes),
                request.getNonce() == null ? null : request.getNonce().getValue(),
                signedIn.session().authTime(),
                signedIn.session().amr()));
    events.authorization(OidcEvents.CODE);
    URI answer =
        new AuthenticationSuccessResponse(
                redirect,
                new AuthorizationCode(code),
                null,
                null,
                request.getState(),
                null,
                issuer,
                ResponseMode.QUERY)
            .toURI();
    if (since != null) {
      // back from the login form: Chromium and Safari check the form page's CSP form-action
      // against every redirect that follows a form submission, so a 302 to the client's origin
      // would be blocked; a page that continues by itself starts a new navigation instead
      OidcPages.continueTo(ctx, answer.toString());
    } else {
      ctx.status(302).header("Location", answer.toString());
    }
  }

  /** To the hosted login page, which comes back here with the same request once signed in. */
  private void toLoginPage(Context ctx, ProtocolParams params, String loginHint) {
    Map<String, List<String>> back = new LinkedHashMap<>(params.all());
    back.put(SIGNED_IN_SINCE, List.of(Long.toString(clock.instant().getEpochSecond())));
    String returnTo =
        publicUrl + ProviderMetadata.AUTHORIZE_PATH + "?" + URLUtils.serializeParameters(back);
    Map<String, List<String>> login = new LinkedHashMap<>();
    login.put("return_to", List.of(returnTo));
    if (loginHint != null && loginHint.length() <= MAX_LOGIN_HINT) {
      login.put("login_hint", List.of(loginHint));
    }
    ctx.status(302)
        .header("Location", publicUrl + LoginPage.PATH + "?" + URLUtils.serializeParameters(login));
  }

  private void redirectError(Context ctx, URI redirect, ErrorObject error, State state) {
    URI answer =
        new AuthenticationErrorResponse(redirect, error, state, issuer, ResponseMode.QUERY).toURI();
    ctx.status(302).header("Location", answer.toString());
  }

  private static Instant signedInSince(String value) {
    if (value == null || value.length() > 12) {
      return null;
    }
    try {
      return Instant.ofEpochSecond(Long.parseLong(value));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
