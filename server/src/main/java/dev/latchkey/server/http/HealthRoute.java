package dev.latchkey.server.http;

import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.Json;
import dev.latchkey.server.keys.KeyState;
import dev.latchkey.server.keys.SigningKeyInfo;
import dev.latchkey.server.keys.SigningKeys;
import dev.latchkey.server.store.Database;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /health}: {@code 200 up} with the active key's {@code kid}; {@code 503 down} when the
 * database is unreachable or no key is active.
 */
final class HealthRoute {
  private final Database database;
  private final SigningKeys keys;

  HealthRoute(Database database, SigningKeys keys) {
    this.database = database;
    this.keys = keys;
  }

  void handle(Context ctx) {
    Caching.noStore(ctx);
    Map<String, Object> body = new LinkedHashMap<>();
    if (!database.isReachable()) {
      body.put("status", "down");
      body.put("error", "unavailable");
      body.put("message", "The database is unreachable.");
      ctx.header("Retry-After", "5");
      Json.write(ctx, 503, body);
      return;
    }
    Optional<SigningKeyInfo> active =
        keys.published().stream().filter(k -> k.state() == KeyState.ACTIVE).findFirst();
    body.put("status", active.isPresent() ? "up" : "down");
    body.put("database", "up");
    body.put("activeKey", active.map(SigningKeyInfo::kid).orElse(null));
    Json.write(ctx, active.isPresent() ? 200 : 503, body);
  }
}
