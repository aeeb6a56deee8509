package dev.latchkey.server.http.exchange;

import dev.latchkey.server.delivery.DeliveryMode;
import dev.latchkey.server.tokens.IssuedToken;
import dev.latchkey.verifier.wire.Dpop;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON answer that hands a session to the client (login, refresh, {@code GET /api/session}):
 * {@code 200 {"idToken"?, "tokenType"?, "expiresIn"}}, the token only in the body and both delivery
 * modes, with how to send it: {@code "DPoP"} for a token bound to a DPoP key ({@code Authorization:
 * DPoP <token>} and a proof), else {@code "Bearer"}.
 */
public final class SessionAnswer {
  private final DeliveryMode mode;

  public SessionAnswer(DeliveryMode mode) {
    this.mode = mode;
  }

  public void write(Context ctx, String token, long expiresIn) {
    write(ctx, token, expiresIn, Map.of());
  }

  /** The answer handing over a token just issued. */
  public void write(Context ctx, IssuedToken token) {
    write(ctx, token.token(), token.bound(), token.expiresIn(), Map.of());
  }

  /** The same answer with more fields first (e.g. a password change's status and message). */
  public void write(Context ctx, String token, long expiresIn, Map<String, String> before) {
    write(ctx, token, false, expiresIn, before);
  }

  /** The answer for a token, bound to a DPoP key or not. */
  public void write(
      Context ctx, String token, boolean bound, long expiresIn, Map<String, String> before) {
    Map<String, Object> body = new LinkedHashMap<>(before);
    if (mode.tokenInBody()) {
      body.put("idToken", token);
      body.put("tokenType", bound ? Dpop.SCHEME : "Bearer");
    }
    body.put("expiresIn", expiresIn);
    Json.write(ctx, 200, body);
  }
}
