package dev.latchkey.server.http.passkeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.exchange.ApiError;
import dev.latchkey.server.http.exchange.Caching;
import dev.latchkey.server.http.exchange.Json;
import dev.latchkey.server.http.exchange.PasskeyList;
import dev.latchkey.server.http.exchange.SignedInUsers;
import dev.latchkey.server.http.exchange.SignedInUsers.SignedInUser;
import dev.latchkey.server.passkeys.Passkey;
import dev.latchkey.server.passkeys.Passkeys;
import dev.latchkey.server.users.Account;
import dev.latchkey.server.users.Users;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A signed-in user's passkeys (bearer token, or session cookie with the XSRF header):
 *
 * <ul>
 *   <li>{@code POST /api/passkeys/registration/options} → {@code
 *       PublicKeyCredentialCreationOptionsJSON} ({@code 409 too_many_passkeys});
 *   <li>{@code POST /api/passkeys/registration} with the credential's {@code toJSON()} (and an
 *       optional {@code "name"}) → {@code 201 {"id", "name", "createdAt"}} ({@code 400
 *       invalid_request}, {@code 400 passkey_refused}, {@code 409 passkey_exists});
 *   <li>{@code GET /api/passkeys} → {@code {"passkeys": [...]}};
 *   <li>{@code DELETE /api/passkeys/{id}} → {@code {"passkeys": [...]}}, the ones left ({@code 404
 *       unknown_passkey}).
 * </ul>
 */
public final class PasskeyRoutes {
  private static final String DEFAULT_NAME = "Passkey";

  private final Passkeys passkeys;
  private final Users users;
  private final SignedInUsers signedInUsers;

  public PasskeyRoutes(Passkeys passkeys, Users users, SignedInUsers signedInUsers) {
    this.passkeys = passkeys;
    this.users = users;
    this.signedInUsers = signedInUsers;
  }

  /** {@code POST /api/passkeys/registration/options}. */
  public void registrationOptions(Context ctx) {
    SignedInUser user = signedInUsers.require(ctx);
    Caching.noStore(ctx);
    String email =
        users
            .account(user.userId())
            .map(Account::email)
            .orElseThrow(
                () -> new ApiError(401, "unauthorized", "No valid session: log in first."));
    Json.write(ctx, 200, passkeys.registrationOptions(user.userId(), email));
  }

  /** {@code POST /api/passkeys/registration}. */
  public void register(Context ctx) {
    SignedInUser user = signedInUsers.require(ctx);
    ObjectNode body = Json.readObject(ctx);
    Caching.noStore(ctx);
    String name = name(body.remove("name"));
    Passkey added = passkeys.register(user.userId(), Json.text(body), name);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", added.id());
    answer.put("name", added.name());
    answer.put("createdAt", added.createdAt().toString());
    Json.write(ctx, 201, answer);
  }

  /** {@code GET /api/passkeys}. */
  public void list(Context ctx) {
    SignedInUser user = signedInUsers.require(ctx);
    Caching.noStore(ctx);
    Json.write(ctx, 200, Map.of("passkeys", PasskeyList.of(passkeys.list(user.userId()))));
  }

  /** {@code DELETE /api/passkeys/{id}}. */
  public void remove(Context ctx) {
    SignedInUser user = signedInUsers.require(ctx);
    Caching.noStore(ctx);
    passkeys.remove(user.userId(), ctx.pathParam("id"));
    Json.write(ctx, 200, Map.of("passkeys", PasskeyList.of(passkeys.list(user.userId()))));
  }

  private static String name(JsonNode given) {
    if (given == null || given.isNull()) {
      return DEFAULT_NAME;
    }
    if (!given.isTextual()) {
      throw ApiError.badRequest("Field 'name' must be a string.");
    }
    String name = given.textValue().strip();
    if (name.length() > Passkeys.NAME_MAX || name.chars().anyMatch(Character::isISOControl)) {
      throw ApiError.badRequest(
          "Field 'name' is at most " + Passkeys.NAME_MAX + " characters, without control ones.");
    }
    return name.isEmpty() ? DEFAULT_NAME : name;
  }
}
