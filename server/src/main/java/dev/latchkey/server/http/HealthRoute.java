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
 * {@code GET /health/ready} (and its alias {@code /health}): {@code 200 up} with the active key's
 * {@code kid} when the database is reachable, its migrations are applied and a key is active;
 * {@code 503 down} otherwise (take the instance out of the load balancer). {@code GET
 * /health/live}: {@code 200} while the process serves HTTP at all (restart it when this fails); it
 * never touches the database, so an outage does not restart every instance.
 */
public final class HealthRoute {
  private final Database database;
  private final SigningKeys keys;

  public HealthRoute(Database database, SigningKeys keys) {
    this.database = database;
    this.keys = keys;
  }

  void live(Context ctx) {
    Caching.noStore(ctx);
    Json.write(ctx, 200, Map.of("status", "up"));
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
    boolean migrated = database.isMigrated();
    body.put("status", active.isPresent() && migrated ? "up" : "down");
    body.put("database", "up");
    body.put("migrations", migrated ? "applied" : "pending");
    body.put("activeKey", active.map(SigningKeyInfo::kid).orElse(null));
    Json.write(ctx, active.isPresent() && migrated ? 200 : 503, body);
  }
}
