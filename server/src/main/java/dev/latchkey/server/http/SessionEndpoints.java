package dev.latchkey.server.http;

import dev.latchkey.server.AuthServerConfig;
import dev.latchkey.server.AuthStore;
import dev.latchkey.server.delivery.SessionCookies;
import dev.latchkey.server.delivery.SessionTokenVerifier;
import dev.latchkey.server.sessions.RefreshRejected;
import dev.latchkey.server.sessions.RefreshSettings;
import dev.latchkey.server.sessions.Revocation;
import dev.latchkey.server.sessions.SessionTokens;
import dev.latchkey.server.throttle.ClientAddress;
import dev.latchkey.server.tokens.TokenIssuer;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The session endpoints: the client address of a login (for the brute-force throttle), {@code POST
 * /api/logout}, {@code POST /api/refresh} and {@code GET /api/revocations}. {@link HttpApi} calls
 * the login hooks and {@link #addRoutes}.
 */
final class SessionEndpoints {
  private static final Pattern EPOCH_SECONDS = Pattern.compile("\\d{1,12}");
  private static final String CLEARED_EXPIRES = "Thu, 01 Jan 1970 00:00:00 GMT";

  private final AuthServerConfig config;
  private final AuthStore store;
  private final TokenIssuer tokens;
  private final Cors cors;
  private final SessionStatusEndpoint status;
  private final SessionTokenVerifier ownTokens;
  private final ClientAddress clientAddress;
  private final RefreshSettings refresh;

  SessionEndpoints(
      AuthServerConfig config,
      AuthStore store,
      TokenIssuer tokens,
      Cors cors,
      SessionStatusEndpoint status,
      SessionTokenVerifier ownTokens) {
    this.config = config;
    this.store = store;
    this.tokens = tokens;
    this.cors = cors;
    this.status = status;
    this.ownTokens = ownTokens;
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
    status.setCookies(ctx, session.access());
    status.answerLogin(ctx, session.access());
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
    if (config.delivery().mode().setsCookies() || status.cookies().token(ctx).isPresent()) {
      status.cookies().clear(ctx);
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
   * The session cookie names a session only with the XSRF header beside it: a cross-site page can
   * make the browser send the cookie, never the header, so it cannot log a user out.
   */
  private Optional<String> sidFromSessionCookie(Context ctx) {
    return status
        .cookies()
        .token(ctx)
        .filter(token -> SessionCookies.xsrfMatches(ctx))
        .flatMap(ownTokens::sessionIdOf);
  }

  private Optional<String> sidFromBearer(Context ctx) {
    return SessionStatusEndpoint.bearer(ctx).flatMap(ownTokens::sessionIdOf);
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
