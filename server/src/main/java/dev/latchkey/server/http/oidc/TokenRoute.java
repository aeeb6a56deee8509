package dev.latchkey.server.http.oidc;

import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.DpopProofs;
import dev.latchkey.server.http.exchange.Json;
import dev.latchkey.server.oidc.OidcClient;
import dev.latchkey.server.oidc.OidcClients;
import dev.latchkey.server.oidc.OidcEvents;
import dev.latchkey.server.oidc.OidcTokens;
import dev.latchkey.server.oidc.ProviderMetadata;
import dev.latchkey.server.oidc.TokenOutcome;
import dev.latchkey.server.tokens.IssuedToken;
import io.javalin.http.Context;
import java.net.URI;
import java.util.Optional;

/**
 * {@code POST /token}: the client authenticated ({@code client_secret_basic}, {@code
 * client_secret_post}) or, when public, identified by its {@code client_id}; then the grant ({@code
 * authorization_code}, {@code refresh_token}) decided by {@link OidcTokens}. Answers and errors as
 * RFC 6749 §5, never cached. A valid {@code DPoP} proof binds the tokens to its key ({@code
 * token_type: DPoP}, RFC 9449 §5); a refused one is {@code 400 invalid_dpop_proof} (or {@code
 * use_dpop_nonce} with {@code DPoP-Nonce}) with a {@code DPoP} challenge.
 */
public final class TokenRoute {
  private static final String BASIC_CHALLENGE = "Basic realm=\"latchkey\"";

  private final OidcClients clients;
  private final OidcTokens tokens;
  private final DpopProofs proofs;
  private final URI endpoint;
  private final OidcEvents events;

  public TokenRoute(
      OidcClients clients,
      OidcTokens tokens,
      DpopProofs proofs,
      String publicUrl,
      OidcEvents events) {
    this.clients = clients;
    this.tokens = tokens;
    this.proofs = proofs;
    this.events = events;
    this.endpoint = URI.create(publicUrl + ProviderMetadata.TOKEN_PATH);
  }

  public void handle(Context ctx) {
    Caching.noStore(ctx);
    HTTPRequest http = new HTTPRequest(HTTPRequest.Method.POST, endpoint);
    String contentType = ctx.header("Content-Type");
    if (contentType != null) {
      http.setHeader("Content-Type", contentType);
    }
    String authorization = ctx.header("Authorization");
    if (authorization != null) {
      http.setAuthorization(authorization);
    }
    http.setBody(ctx.body());
    TokenRequest request;
    try {
      request = TokenRequest.parse(http);
    } catch (ParseException | IllegalArgumentException e) {
      // IllegalArgumentException: the SDK refused its own description of what it could not read
      ErrorObject error =
          e instanceof ParseException p && p.getErrorObject() != null
              ? p.getErrorObject()
              : OAuth2Error.INVALID_REQUEST.setDescription("The request is malformed.");
      if (http.getBody() != null && http.getBody().contains("client_assertion")) {
        error = OAuth2Error.INVALID_CLIENT; // assertions (JWT client authentication): unsupported
      }
      events.token("other", error.getCode());
      if (OAuth2Error.INVALID_CLIENT.getCode().equals(error.getCode())) {
        invalidClient(ctx, error.getDescription());
      } else {
        error(ctx, error.setHTTPStatusCode(400));
      }
      return;
    }
    AuthorizationGrant grant = request.getAuthorizationGrant();
    String grantType = grant.getType().getValue();
    Optional<String> clientId = authenticatedClient(request);
    if (clientId.isEmpty()) {
      events.token(grantType, OAuth2Error.INVALID_CLIENT.getCode());
      invalidClient(ctx, "Client authentication failed.");
      return;
    }
    proofs.offerNonce(ctx);
    String dpopKey;
    try {
      dpopKey = proofs.keyOf(ctx).orElse(null);
    } catch (ApiError refused) {
      refused.headers().forEach(ctx::header);
      events.token(grantType, refused.error());
      error(ctx, new ErrorObject(refused.error(), refused.getMessage(), refused.status()));
      return;
    }
    TokenOutcome outcome;
    if (grant instanceof AuthorizationCodeGrant code) {
      outcome =
          tokens.exchangeCode(
              clientId.get(),
              code.getAuthorizationCode().getValue(),
              code.getRedirectionURI() == null ? null : code.getRedirectionURI().toString(),
              code.getCodeVerifier() == null ? null : code.getCodeVerifier().getValue(),
              dpopKey);
    } else if (grant instanceof RefreshTokenGrant refresh) {
      outcome = tokens.refresh(clientId.get(), refresh.getRefreshToken().getValue(), dpopKey);
    } else {
      outcome =
          new TokenOutcome.Refused(
              OAuth2Error.UNSUPPORTED_GRANT_TYPE.getCode(),
              "Only authorization_code and refresh_token.");
    }
    if (outcome instanceof TokenOutcome.Refused refused) {
      events.token(grantType, refused.codeReused() ? OidcEvents.CODE_REUSED : refused.error());
    } else {
      events.token(grantType, OidcEvents.ISSUED);
    }
    answer(ctx, outcome);
  }

  /**
   * The client the request is from: a confidential client by its secret (basic or post), a public
   * one by its {@code client_id} alone (PKCE protects its codes).
   */
  private Optional<String> authenticatedClient(TokenRequest request) {
    ClientAuthentication auth = request.getClientAuthentication();
    if (auth == null) {
      ClientID id = request.getClientID();
      return Optional.ofNullable(id)
          .flatMap(i -> clients.find(i.getValue()))
          .filter(c -> !c.confidential())
          .map(OidcClient::clientId);
    }
    String secret;
    if (auth instanceof ClientSecretBasic basic) {
      secret = basic.getClientSecret().getValue();
    } else if (auth instanceof ClientSecretPost post) {
      secret = post.getClientSecret().getValue();
    } else {
      return Optional.empty(); // private_key_jwt and the like: not supported
    }
    String id = auth.getClientID().getValue();
    return clients.secretMatches(id, secret) ? Optional.of(id) : Optional.empty();
  }

  private void answer(Context ctx, TokenOutcome outcome) {
    if (outcome instanceof TokenOutcome.Refused refused) {
      if (refused.error().equals("invalid_dpop_proof")) {
        proofs.wrongKey(ctx).headers().forEach(ctx::header);
      }
      error(ctx, new ErrorObject(refused.error(), refused.description(), 400));
      return;
    }
    TokenOutcome.Issued issued = (TokenOutcome.Issued) outcome;
    IssuedToken token = issued.session().access();
    Scope scope = Scope.parse(issued.scope());
    AccessToken access =
        token.bound()
            ? new DPoPAccessToken(token.token(), token.expiresIn(), scope)
            : new BearerAccessToken(token.token(), token.expiresIn(), scope);
    RefreshToken refresh =
        issued.session().refreshToken() == null
            ? null
            : new RefreshToken(issued.session().refreshToken());
    OIDCTokens oidc = new OIDCTokens(issued.idToken(), access, refresh);
    Json.writeRaw(ctx, 200, new OIDCTokenResponse(oidc).toJSONObject().toJSONString());
  }

  private static void invalidClient(Context ctx, String description) {
    ctx.header("WWW-Authenticate", BASIC_CHALLENGE);
    error(
        ctx,
        new ErrorObject(
            OAuth2Error.INVALID_CLIENT.getCode(),
            description == null ? "Client authentication failed." : description,
            401));
  }

  private static void error(Context ctx, ErrorObject error) {
    Json.writeRaw(
        ctx,
        error.getHTTPStatusCode() > 0 ? error.getHTTPStatusCode() : 400,
        new TokenErrorResponse(error).toJSONObject().toJSONString());
  }
}
