package dev.latchkey.verifier.wire;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The {@code roles} claim of a session token: a JSON array of role names (strings), omitted when
 * the user has none. The auth server writes it; the verifier's adapters and the Spring starter read
 * it with {@link #of}.
 */
public final class Roles {
  /** The claim name. */
  public static final String CLAIM = "roles";

  /** The error code and RFC 6750 {@code error} of a 403 for a valid token without the role. */
  public static final String INSUFFICIENT_SCOPE = "insufficient_scope";

  public static final String INSUFFICIENT_SCOPE_MESSAGE = "The token lacks a required role";

  private Roles() {}

  /**
   * The role names of a claim value: the strings of an array, in order, without duplicates; an
   * absent claim, or one of another shape, gives no role (authorisation fails closed).
   */
  public static List<String> of(Object claim) {
    if (!(claim instanceof Collection<?> values)) {
      return List.of();
    }
    List<String> roles = new ArrayList<>(values.size());
    for (Object v : values) {
      if (v instanceof String s && !s.isEmpty() && !roles.contains(s)) {
        roles.add(s);
      }
    }
    return List.copyOf(roles);
  }

  /** Whether {@code held} contains at least one of {@code anyOf}. */
  public static boolean anyOf(List<String> held, Set<String> anyOf) {
    for (String r : held) {
      if (anyOf.contains(r)) {
        return true;
      }
    }
    return false;
  }
}
