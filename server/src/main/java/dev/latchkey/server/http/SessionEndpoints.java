package dev.latchkey.server.http;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.AuthStore;
import dev.latchkey.server.sessions.RefreshRejected;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.server.sessions.Revocation;
import dev.latchkey.server.sessions.SessionTokens;
import dev.latchkey.server.throttle.ClientAddress;
import dev.latchkey.server.tokens.IssuedToken;
import dev.latchkey.server.tokens.TokenIssuer;
import dev.latchkey.server.users.AuthenticatedUser;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The session endpoints (refresh-throttle branch): brute-force throttling around {@code POST
 * /api/login}, {@code POST /api/logout}, {@code POST /api/refresh} and {@code GET
 * /api/revocations}. {@link HttpApi} calls the login hooks and {@link #addRoutes}.
 */
final class SessionEndpoints {
  private static final Pattern EPOCH_SECONDS = Pattern.compile("\\d{1,12}");
  private static final String CLEARED_EXPIRES = "Thu, 01 Jan 1970 00:00:00 GMT";

  private final AuthServerConfig config;
  private final AuthStore store;
  private final TokenIssuer tokens;
  private final Cors cors;
  private final ClientAddress clientAddress;
  private final RefreshSettings refresh;

  SessionEndpoints(AuthServerConfig config, AuthStore store, TokenIssuer tokens, Cors cors) {
    this.config = config;
    this.store = store;
    this.tokens = tokens;
    this.cors = cors;
    this.clientAddress = new ClientAddress(config.sessions().trustedProxies());
    this.refresh = config.sessions().refresh();
  }

  void addRoutes(JavalinConfig c) {
    c.routes.post("/api/logout", this::logout);
    // The refresh cookie is scoped to /api/refresh, so a browser sends it only below that path:
    // this alias lets a client whose access token is gone still end its refresh session.
    c.routes.post("/api/refresh/logout", this::logout);
    c.routes.post("/api/refresh", this::refresh);
    c.routes.get("/api/revocations", this::revocations);
    c.routes.options("/api/logout", cors::preflight);
    c.routes.options("/api/refresh", cors::preflight);
    c.routes.options("/api/refresh/logout", cors::preflight);
  }

  // ---- login hooks -------------------------------------------------------------------------

  /** The address the request is counted against (see {@link ClientAddress}). */
  String clientAddress(Context ctx) {
    List<String> forwarded = List.of();
    if (clientAddress.trustsProxies()) {
      var values = ctx.req().getHeaders("X-Forwarded-For");
      forwarded = values == null ? List.of() : java.util.Collections.list(values);
    }
    return clientAddress.resolve(ctx.req().getRemoteAddr(), forwarded);
  }

  /** Before any hashing: 429 when the account or the client address is locked. */
  void checkThrottle(String email, String client) {
    Optional<Duration> wait = store.throttle().check(email, client);
    if (wait.isPresent()) {
      throw new TooManyAttempts(wait.get());
    }
  }

  void loginFailed(String email, String client) {
    store.throttle().recordFailure(email, client);
  }

  /** Resets the account's failures and starts a session (with a refresh token when on). */
  SessionTokens loginSucceeded(String email, AuthenticatedUser user) {
    store.throttle().recordSuccess(email);
    return store.sessions().start(user, tokens, true);
  }

  void setLoginCookies(Context ctx, SessionTokens session) {
    if (session.refreshToken() != null) {
      setRefreshCookie(ctx, session);
    }
  }

  // ---- refresh -----------------------------------------------------------------------------

  private void refresh(Context ctx) {
    if (!refresh.enabled()) {
      throw new ApiError(404, "not_found", "There is nothing here.");
    }
    noStore(ctx);
    String presented = ctx.cookie(refresh.cookieName());
    SessionTokens session;
    try {
      session = store.sessions().refresh(presented, tokens);
    } catch (RefreshRejected e) {
      throw new ApiError(
          401,
          "invalid_refresh_token",
          "The session has ended; log in again.",
          Map.of("Set-Cookie", clearedRefreshCookie()));
    }
    setRefreshCookie(ctx, session);
    Json.write(ctx, 200, tokenBody(session.access()));
  }

  private void setRefreshCookie(Context ctx, SessionTokens session) {
    long maxAge =
        Math.max(
            0,
            Duration.between(Instant.now(config.clock()), session.refreshExpiresAt()).toSeconds());
    ctx.res()
        .addHeader(
            "Set-Cookie",
            refresh.cookieName()
                + "="
                + session.refreshToken()
                + "; Path=/api/refresh; Max-Age="
                + maxAge
                + "; HttpOnly; Secure; SameSite=Strict");
  }

  private String clearedRefreshCookie() {
    return refresh.cookieName()
        + "=; Path=/api/refresh; Max-Age=0; Expires="
        + CLEARED_EXPIRES
        + "; HttpOnly; Secure; SameSite=Strict";
  }

  static Map<String, Object> tokenBody(IssuedToken token) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("idToken", token.token());
    body.put("expiresIn", token.expiresIn());
    return body;
  }

  // ---- logout ------------------------------------------------------------------------------

  /**
   * Revokes the session named by the request (bearer token, refresh cookie, session cookie), which
   * also ends its refresh family, and clears the refresh cookie. Always {@code 204}: idempotent,
   * and a missing, malformed, foreign or expired credential simply revokes nothing.
   */
  private void logout(Context ctx) {
    noStore(ctx);
    sessionIdOf(ctx).ifPresent(sid -> store.sessions().revoke(sid));
    if (refresh.enabled() || ctx.cookie(refresh.cookieName()) != null) {
      ctx.res().addHeader("Set-Cookie", clearedRefreshCookie());
    }
    ctx.status(204);
  }

  /** The session a logout names, from the first credential that identifies one. */
  private Optional<String> sessionIdOf(Context ctx) {
    return sidFromBearer(ctx)
        .or(() -> store.sessions().sessionOfRefreshToken(ctx.cookie(refresh.cookieName())))
        .or(() -> sidFromSessionCookie(ctx));
  }

  /**
   * Cookie mode (the other branch): read the session cookie's JWT here, e.g. {@code
   * sidOfOwnToken(ctx.cookie(sessionCookieName))}. Empty until cookie mode exists.
   */
  private Optional<String> sidFromSessionCookie(Context ctx) {
    return Optional.empty();
  }

  private Optional<String> sidFromBearer(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return sidOfOwnToken(header.substring(7).strip());
  }

  /**
   * The {@code sid} of a token this server signed (signature by a published key, {@code typ},
   * {@code iss}, {@code aud}); an expired token still names its session, so logging out with it
   * ends that session.
   */
  Optional<String> sidOfOwnToken(String token) {
    if (token == null || token.isEmpty() || token.length() > 8192) {
      return Optional.empty();
    }
    try {
      DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
      processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(TokenIssuer.TYPE));
      Set<JWSAlgorithm> algs =
          AuthServerConfig.ALGORITHMS.stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
      processor.setJWSKeySelector(
          new JWSVerificationKeySelector<>(
              algs, new ImmutableJWKSet<>(store.keys().publicJwkSet())));
      processor.setJWTClaimsSetVerifier(
          (claims, context) -> {
            if (!tokens.issuer().equals(claims.getIssuer())
                || claims.getAudience() == null
                || !claims.getAudience().contains(tokens.audience())) {
              throw new BadJWTException("not a token of this server");
            }
          });
      JWTClaimsSet claims = processor.process(token, null);
      return Optional.ofNullable(claims.getStringClaim("sid"));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  // ---- revocation feed ---------------------------------------------------------------------

  private void revocations(Context ctx) {
    String since = ctx.queryParam("since");
    long sinceSeconds = 0;
    if (since != null) {
      if (!EPOCH_SECONDS.matcher(since).matches()) {
        throw ApiError.badRequest(
            "'since' must be a time in epoch seconds, e.g. since=1700000000.");
      }
      sinceSeconds = Long.parseLong(since);
    }
    List<Map<String, Object>> revoked = new ArrayList<>();
    for (Revocation r : store.sessions().revokedSince(Instant.ofEpochSecond(sinceSeconds))) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("sid", r.sid());
      entry.put("at", r.at().getEpochSecond());
      revoked.add(entry);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("revoked", revoked);
    body.put("now", config.clock().instant().getEpochSecond());
    ctx.header(
        "Cache-Control",
        "public, max-age=" + config.sessions().revocationPollInterval().toSeconds());
    Json.write(ctx, 200, body);
  }

  private static void noStore(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    ctx.header("Pragma", "no-cache");
  }
}
