package dev.latchkey.server.http;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.delivery.SessionCookies;
import dev.latchkey.server.delivery.SessionTokenVerifier;
import dev.latchkey.server.sessions.Sessions;
import dev.latchkey.server.tokens.IssuedToken;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The answer of a successful login in each delivery mode (body, cookie, both), and {@code GET
 * /api/session}.
 */
final class SessionStatusEndpoint {
  private static final String REALM = "Bearer realm=\"latchkey\"";

  private final DeliveryMode mode;
  private final SessionCookies cookies;
  private final SessionTokenVerifier verifier;
  private final Sessions sessions;

  SessionStatusEndpoint(
      DeliveryMode mode, SessionCookies cookies, SessionTokenVerifier verifier, Sessions sessions) {
    this.mode = mode;
    this.cookies = cookies;
    this.verifier = verifier;
    this.sessions = sessions;
  }

  SessionCookies cookies() {
    return cookies;
  }

  /** The session and XSRF cookies of a login, in cookie and both modes. */
  void setCookies(Context ctx, IssuedToken token) {
    if (mode.setsCookies()) {
      cookies.setOnLogin(ctx, token.token(), token.expiresIn());
    }
  }

  /** {@code 200 {"idToken"?, "expiresIn"}}. */
  void answerLogin(Context ctx, IssuedToken token) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (mode.tokenInBody()) {
      body.put("idToken", token.token());
    }
    body.put("expiresIn", token.expiresIn());
    Json.write(ctx, 200, body);
  }

  /**
   * {@code GET /api/session}: the session of the bearer token, else of the session cookie. {@code
   * 200 {"expiresIn", "idToken"?}} or {@code 401} with {@code WWW-Authenticate}.
   */
  void session(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    ctx.header("Pragma", "no-cache");
    Optional<String> presented = bearer(ctx).or(() -> cookies.token(ctx));
    if (presented.isEmpty()) {
      throw new ApiError(
          401, "unauthorized", "No session: log in first.", Map.of("WWW-Authenticate", REALM));
    }
    String token = presented.get();
    JWTClaimsSet claims =
        verifier
            .verify(token)
            .filter(this::notRevoked)
            .orElseThrow(
                () ->
                    new ApiError(
                        401,
                        "invalid_token",
                        "The session is invalid or has expired: log in again.",
                        Map.of(
                            "WWW-Authenticate",
                            REALM
                                + ", error=\"invalid_token\", error_description=\"The session is"
                                + " invalid or has expired\"")));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("expiresIn", verifier.secondsLeft(claims));
    if (mode.tokenInBody()) {
      body.put("idToken", token);
    }
    Json.write(ctx, 200, body);
  }

  /** A logged-out session is over here at once, whatever its token's expiry says. */
  private boolean notRevoked(JWTClaimsSet claims) {
    Object sid = claims.getClaim("sid");
    return sid instanceof String id
        && sessions.find(id).map(session -> session.revokedAt() == null).orElse(true);
  }

  /**
   * The token of an {@code Authorization: Bearer} header; an empty string for another scheme or a
   * bare "Bearer" (an invalid credential, not a missing one); empty without the header.
   */
  static Optional<String> bearer(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null) {
      return Optional.empty();
    }
    String h = header.strip();
    if (h.length() > 7 && h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return Optional.of(h.substring(7).strip());
    }
    // Another scheme, or "Bearer" without a token: an invalid credential, not a missing one.
    return Optional.of("");
  }
}
