package dev.latchkey.server.http.exchange;

import dev.latchkey.server.users.PasswordPolicy;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;

/** The body of a login and of a signup: {@code {"email", "password"}}. */
public record Credentials(String email, String password) {
  private static final Set<String> FIELDS = Set.of("email", "password");

  /** Both fields required, strings no longer than a password may be, nothing else. */
  public static Credentials read(Context ctx) {
    Map<String, String> body = Json.readStringFields(ctx, FIELDS, PasswordPolicy.MAX_LENGTH);
    return new Credentials(body.get("email"), body.get("password"));
  }

  @Override
  public String toString() {
    return "Credentials[email=" + email + ", password=***]";
  }
}
