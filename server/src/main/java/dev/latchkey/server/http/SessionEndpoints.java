package dev.latchkey.server.http;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.delivery.SessionCookies;
import dev.latchkey.server.delivery.SessionTokenVerifier;
import dev.latchkey.server.tokens.IssuedToken;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Issue 5 (cookie mode): the answer of a successful {@code POST /api/login} in each delivery mode,
 * and {@code GET /api/session}.
 */
final class SessionEndpoints {
  private static final String REALM = "Bearer realm=\"latchkey\"";

  private final DeliveryMode mode;
  private final SessionCookies cookies;
  private final SessionTokenVerifier verifier;

  SessionEndpoints(DeliveryMode mode, SessionCookies cookies, SessionTokenVerifier verifier) {
    this.mode = mode;
    this.cookies = cookies;
    this.verifier = verifier;
  }

  SessionCookies cookies() {
    return cookies;
  }

  /** {@code 200 {"idToken"?, "expiresIn"}}, with the cookies in cookie and both modes. */
  void answerLogin(Context ctx, IssuedToken token) {
    if (mode.setsCookies()) {
      cookies.setOnLogin(ctx, token.token(), token.expiresIn());
    }
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

  private static Optional<String> bearer(Context ctx) {
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
