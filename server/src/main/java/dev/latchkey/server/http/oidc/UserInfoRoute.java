package dev.latchkey.server.http.oidc;

import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.Json;
import dev.latchkey.server.http.exchange.PresentedTokens;
import dev.latchkey.server.http.exchange.PresentedTokens.PresentedToken;
import dev.latchkey.server.oidc.OidcGrant;
import dev.latchkey.server.oidc.OidcGrants;
import dev.latchkey.server.oidc.Scopes;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.users.Account;
import dev.latchkey.server.users.Users;
import dev.latchkey.verifier.VerifiedToken;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET/POST /userinfo} with an access token issued through the token endpoint, read by {@link
 * PresentedTokens} ({@code Bearer}, or {@code DPoP} with a proof of its key for a bound one):
 * {@code sub}, and {@code email email_verified} with the {@code email} scope. The token must be
 * valid and its session not revoked; errors as RFC 6750 §3 (RFC 9449 §7.1 for DPoP: {@code 401}
 * with a {@code DPoP} challenge).
 */
public final class UserInfoRoute {
  private final PresentedTokens presented;
  private final Sessions sessions;
  private final OidcGrants grants;
  private final Users users;

  public UserInfoRoute(
      PresentedTokens presented, Sessions sessions, OidcGrants grants, Users users) {
    this.presented = presented;
    this.sessions = sessions;
    this.grants = grants;
    this.users = users;
  }

  public void handle(Context ctx) {
    Caching.noStore(ctx);
    Optional<PresentedToken> token;
    try {
      token = presented.read(ctx);
    } catch (ApiError refused) {
      refused.headers().forEach(ctx::header);
      Json.write(
          ctx,
          refused.status(),
          Map.of("error", refused.error(), "error_description", refused.getMessage()));
      return;
    }
    if (token.isEmpty()) {
      refuse(ctx, BearerTokenError.MISSING_TOKEN);
      return;
    }
    Optional<VerifiedToken> verified =
        token
            .get()
            .verified()
            .filter(
                t -> sessions.find(t.sessionId()).filter(s -> s.revokedAt() == null).isPresent());
    if (verified.isEmpty()) {
      refuse(ctx, BearerTokenError.INVALID_TOKEN);
      return;
    }
    Optional<OidcGrant> grant = grants.find(verified.get().sessionId());
    Optional<Account> account = users.account(verified.get().subject());
    if (grant.isEmpty() || account.isEmpty()) {
      refuse(
          ctx,
          BearerTokenError.INSUFFICIENT_SCOPE.setDescription(
              "The token was not issued through the token endpoint with the openid scope."));
      return;
    }
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", account.get().id());
    if (grant.get().scopes().contains(Scopes.EMAIL)) {
      claims.put("email", account.get().email());
      claims.put("email_verified", account.get().emailVerified());
    }
    Json.write(ctx, 200, claims);
  }

  private static void refuse(Context ctx, BearerTokenError error) {
    ctx.header("WWW-Authenticate", error.toWWWAuthenticateHeader());
    Map<String, Object> body = new LinkedHashMap<>();
    if (error.getCode() != null) {
      body.put("error", error.getCode());
      body.put("error_description", error.getDescription());
    } else {
      body.put("error", "invalid_request");
      body.put("error_description", "A bearer access token is required.");
    }
    Json.write(ctx, error.getHTTPStatusCode(), body);
  }
}
