package dev.latchkey.server.users;

import java.time.Instant;
import java.util.List;

/** A user as the command line lists it (no password hash). */
public record UserSummary(
    String id, String email, Instant createdAt, boolean disabled, List<String> roles) {
  public String describe() {
    return id
        + " "
        + email
        + " created="
        + createdAt
        + (roles.isEmpty() ? "" : " roles=" + String.join(",", roles))
        + (disabled ? " disabled" : "");
  }
}
