package dev.latchkey.server.sessions;

import java.util.List;

/**
 * How an {@code amr} list (RFC 8176 values) is stored in a column: space-separated, {@code NULL}
 * for none. Sessions keep it, and so do the OpenID provider's single-sign-on sessions, codes and
 * grants, so that a token issued from a sign-in says how that sign-in was made.
 */
public final class AmrColumn {
  private AmrColumn() {}

  public static List<String> read(String stored) {
    return stored == null || stored.isBlank() ? List.of() : List.of(stored.strip().split(" +"));
  }

  public static String write(List<String> amr) {
    return amr == null || amr.isEmpty() ? null : String.join(" ", amr);
  }
}
